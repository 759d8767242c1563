/**
 * Policy config with the pack's own defaults. The Pulumi CLI fills schema defaults before Configure, but
 * other engines and tests may pass `{}` or values of the wrong type; a policy must behave the same then.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

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
