/**
 * Policy config with the pack's own defaults. The Pulumi CLI fills schema defaults before Configure, but
 * other engines and tests may pass `{}` or values of the wrong type; a policy must behave the same then.
 */
import type { PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { redactCredentials } from "../src/core/access-keys";

type Raw = Record<string, unknown>;

/** The config object, never throwing and never anything but a plain object. */
export function rawConfig(args: { getConfig<T extends object>(): T }): Raw {
    try {
        const c = args.getConfig<Raw>();
        return c !== null && typeof c === "object" && !Array.isArray(c) ? c : {};
    } catch {
        return {};
    }
}

export function boolOption(config: Raw, key: string, fallback: boolean): boolean {
    const v = config[key];
    return typeof v === "boolean" ? v : fallback;
}

export function numberOption(config: Raw, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = config[key];
    return typeof v === "number" && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

export function enumOption<T extends string>(config: Raw, key: string, allowed: readonly T[], fallback: T): T {
    const v = config[key];
    return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** A list of strings; a non-list falls back, non-string items are dropped. */
export function stringListOption(config: Raw, key: string, fallback: readonly string[]): string[] {
    const v = config[key];
    if (!Array.isArray(v)) return [...fallback];
    return v.filter((x): x is string => typeof x === "string");
}

export function stringListSchema(
    defaultValue: readonly string[],
    description: string,
    pattern?: string,
): PolicyConfigSchema["properties"][string] {
    return { type: "array", items: pattern ? { type: "string", pattern } : { type: "string" }, default: [...defaultValue], description };
}

/**
 * A policy's config schema that names every setting and refuses others. `additionalProperties: false` states
 * it for any reader of the schema, but the policy SDK sends only `properties` and `required` to the engine
 * (@pulumi/policy protoutil.js), and the Pulumi CLI validates against just those; so strictConfig below also
 * checks at run time, where the policy itself sees its config.
 */
export function strictSchema(
    properties: PolicyConfigSchema["properties"],
    required?: string[],
): PolicyConfigSchema & { additionalProperties: false } {
    return { properties, ...(required ? { required } : {}), additionalProperties: false };
}

/** Keys of `config` the schema does not declare (enforcementLevel is the engine's own). */
export function unknownSettings(config: Raw, schema: PolicyConfigSchema): string[] {
    const known = new Set(Object.keys(schema.properties ?? {}));
    return Object.keys(config).filter((k) => k !== "enforcementLevel" && !known.has(k));
}

export function unknownSettingsMessage(policyName: string, unknown: string[], schema: PolicyConfigSchema): string {
    const known = Object.keys(schema.properties ?? {});
    const names = unknown.map((k) => `'${k}'`).join(", ");
    return (
        `The policy pack config for '${policyName}' has ${unknown.length === 1 ? "a setting" : "settings"} the policy does not have: ${names}. ` +
        `A misspelt setting would leave the policy at its default, so the config is refused. ` +
        (known.length ? `Its settings are: ${known.join(", ")}.` : "It has no settings.")
    );
}

const reportedConfigs = new Set<string>();

type Validation<A> = (args: A, reportViolation: ReportViolation) => Promise<void> | void;

/**
 * Wraps a policy so that config keys its schema does not declare are a violation at the policy's level,
 * reported once per pack process and configuration (the engine starts one process per preview or update),
 * before the policy runs with the settings it does know.
 */
export function strictConfig<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P): P {
    const schema = policy.configSchema;
    if (!schema) return policy;
    const wrap = <A extends { getConfig<T extends object>(): T }>(validate: Validation<A>): Validation<A> => {
        return async (args, reportViolation) => {
            const unknown = unknownSettings(rawConfig(args), schema);
            const key = `${policy.name}\u0000${unknown.join("\u0000")}`;
            if (unknown.length > 0 && !reportedConfigs.has(key)) {
                reportedConfigs.add(key);
                reportViolation(redactCredentials(unknownSettingsMessage(policy.name, unknown, schema)));
            }
            await validate(args, reportViolation);
        };
    };
    if ("validateResource" in policy && policy.validateResource) {
        const v = policy.validateResource;
        return { ...policy, validateResource: Array.isArray(v) ? v.map(wrap) : wrap(v) };
    }
    if ("validateStack" in policy && policy.validateStack) return { ...policy, validateStack: wrap(policy.validateStack) };
    return policy;
}
