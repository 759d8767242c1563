/**
 * Policy pack config as the Pulumi CLI prepares it before Configure: the CLI, not the pack, fills each
 * policy's schema defaults, applies the pack's initial config and then the user's, and validates the result
 * against the policy's configSchema (pulumi/pulumi pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig).
 * Stricter than the CLI in two ways, because a misspelling otherwise silently leaves a policy at its
 * defaults: a config entry naming no policy of the pack is an error, and so (unless `unknownSettings: "pass"`)
 * is a setting that a policy's configSchema does not declare. The Pulumi CLI cannot refuse those: the policy
 * SDK sends only a schema's `properties` and `required` (@pulumi/policy protoutil.js), never
 * `additionalProperties`, and the CLI validates against that.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { isEnforcementLevel } from "./wire";
import type { EnforcementLevel, PolicyInfo, PolicyPackConfig } from "./types";

/** One policy's config as it travels in Configure. */
export interface EffectivePolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export type EffectiveConfig = Record<string, EffectivePolicyConfig>;

interface NormalizedEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

// The CLI's reserved key: `{"all": "advisory"}` sets every policy's level.
const ALL = "all";

export class PolicyConfigError extends Error {}

export interface ReconcileOptions {
    /** "reject" (default): a setting no schema declares is an error. "pass": exactly as the Pulumi CLI. */
    unknownSettings?: "reject" | "pass";
}

/** Per-policy validators; compiled once per pack, since Configure may be called repeatedly. */
export class PolicyConfigReconciler {
    private readonly ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
    private readonly validators = new Map<string, ValidateFunction | undefined>();

    constructor(private readonly policies: readonly PolicyInfo[]) {
        for (const p of policies) {
            if (!p.configSchema) continue;
            const schema = {
                type: "object",
                properties: p.configSchema.properties ?? {},
                ...(p.configSchema.required?.length ? { required: p.configSchema.required } : {}),
            };
            try {
                this.validators.set(p.name, this.ajv.compile(schema));
            } catch (err) {
                throw new PolicyConfigError(`policy "${p.name}" declares an invalid configSchema: ${(err as Error).message}`);
            }
        }
    }

    /**
     * Defaults, then the pack's initial config, then `config`; every policy of the pack appears in the result.
     * Throws PolicyConfigError naming the policy and key at fault.
     */
    reconcile(config: PolicyPackConfig = {}, initial: PolicyPackConfig = {}, options: ReconcileOptions = {}): EffectiveConfig {
        const known = new Set(this.policies.map((p) => p.name));
        const unknown = Object.keys(config).filter((k) => k !== ALL && !known.has(k));
        if (unknown.length > 0) {
            throw new PolicyConfigError(
                `policy pack config names ${unknown.length === 1 ? "a policy" : "policies"} the pack does not have: ` +
                    `${unknown.map((n) => JSON.stringify(n)).join(", ")} (known: ${[...known].join(", ")})`,
            );
        }
        const result: EffectiveConfig = {};
        for (const p of this.policies) result[p.name] = { enforcementLevel: p.enforcementLevel, properties: {} };
        for (const layer of [normalize(initial, "initial config"), normalize(config, "policy pack config")]) {
            const all = layer.get(ALL);
            if (all?.enforcementLevel) for (const name of Object.keys(result)) result[name].enforcementLevel = all.enforcementLevel;
            for (const [name, entry] of layer) {
                const target = result[name];
                if (!target) continue; // "all", or an initial-config entry for a policy the pack no longer has
                if (entry.enforcementLevel) target.enforcementLevel = entry.enforcementLevel;
                Object.assign(target.properties, entry.properties);
            }
        }
        // Every policy's problems at once: a user fixing a config file should not meet them one run at a time.
        const problems: string[] = [];
        for (const p of this.policies) {
            const validate = this.validators.get(p.name);
            if (!validate) continue;
            if (options.unknownSettings !== "pass") {
                const declared = new Set(Object.keys(p.configSchema?.properties ?? {}));
                const unknownKeys = Object.keys(result[p.name].properties).filter((k) => !declared.has(k));
                if (unknownKeys.length > 0) {
                    problems.push(describeUnknownSettings(p.name, unknownKeys, [...declared]));
                    continue;
                }
            }
            const props = structuredClone(result[p.name].properties);
            if (!validate(props)) {
                problems.push(describeFailure(p.name, validate.errors ?? []));
                continue;
            }
            result[p.name].properties = props; // now with schema defaults filled in
        }
        if (problems.length > 0) throw new PolicyConfigError(problems.join("; "));
        return result;
    }
}

function normalize(config: PolicyPackConfig, what: string): Map<string, NormalizedEntry> {
    const out = new Map<string, NormalizedEntry>();
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new PolicyConfigError(`${what} must be an object keyed by policy name`);
    }
    for (const [name, raw] of Object.entries(config as Record<string, unknown>)) {
        if (typeof raw === "string") {
            if (!isEnforcementLevel(raw)) throw new PolicyConfigError(badLevel(name, raw));
            out.set(name, { enforcementLevel: raw, properties: {} });
        } else if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
            const { enforcementLevel, ...properties } = raw as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                throw new PolicyConfigError(badLevel(name, enforcementLevel));
            }
            out.set(name, { enforcementLevel, properties });
        } else {
            throw new PolicyConfigError(
                `${what} for "${name}" must be an enforcement level or an object of settings, not ${JSON.stringify(raw)}`,
            );
        }
    }
    return out;
}

function describeUnknownSettings(policy: string, unknown: string[], declared: string[]): string {
    const names = unknown.map((k) => `"${k}"`).join(", ");
    const settings = declared.length ? `its settings are ${declared.join(", ")}` : "it has no settings";
    return `invalid policy pack config for "${policy}": ${names} ${unknown.length === 1 ? "is not a setting" : "are not settings"} of this policy (${settings})`;
}

function badLevel(policy: string, level: unknown): string {
    return `policy pack config for "${policy}": enforcementLevel ${JSON.stringify(level)} is not one of advisory, mandatory, remediate, disabled`;
}

function describeFailure(policy: string, errors: ErrorObject[]): string {
    const parts = errors.map((e) => {
        const params = e.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
        if (params.missingProperty) return `"${params.missingProperty}" is required`;
        if (params.additionalProperty) return `"${params.additionalProperty}" is not a setting of this policy`;
        const key = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
        const detail = params.allowedValues ? `${e.message}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : e.message;
        return key ? `"${key}" ${detail}` : `${detail}`;
    });
    return `invalid policy pack config for "${policy}": ${parts.join("; ")}`;
}
