/**
 * The documentation tables the code already knows: the policies (name, level, kind, description, config
 * schema) from the policy objects the pack serves, and the stack's configuration keys from `CONFIG_KEYS`
 * (which a test holds equal to Pulumi.yaml's `config:` block).
 */
import type { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { allPolicies } from "../../policies/all";
import { CONFIG_KEYS } from "../../stacks/config";
import { markdownTable, type Region } from "./regions";

type Schema = PolicyConfigSchema["properties"][string] & {
    items?: { type?: string; pattern?: string; enum?: unknown[] };
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    pattern?: string;
};

const code = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

function kindOf(policy: Policies[number]): string {
    return "validateStack" in policy ? "stack" : "resource";
}

/** A JSON schema as a reader thinks of it: `pass` | `advisory`, integer 1–600000, list of strings (`^\d{12}$`). */
export function schemaType(schema: Schema): string {
    if (schema.enum) return schema.enum.map(code).join(" | ");
    if (schema.type === "array") {
        const items = schema.items ?? {};
        if (items.enum) return `list of ${items.enum.map(code).join(" | ")}`;
        return `list of ${items.type ?? "value"}s${items.pattern ? ` (${code(items.pattern)})` : ""}`;
    }
    const range =
        schema.minimum !== undefined && schema.maximum !== undefined
            ? ` ${schema.minimum}–${schema.maximum}`
            : schema.minimum !== undefined
              ? ` ≥ ${schema.minimum}`
              : schema.maximum !== undefined
                ? ` ≤ ${schema.maximum}`
                : "";
    const pattern = schema.pattern ? ` (${code(schema.pattern)})` : "";
    return `${String(schema.type ?? "any")}${range}${pattern}`;
}

export function policySummary(policies: Policies = allPolicies): string {
    return markdownTable(
        ["Policy", "Level", "Checks", "What it enforces"],
        policies.map((p) => [
            code(p.name),
            p.enforcementLevel ?? "advisory",
            kindOf(p) === "stack" ? "the whole stack" : "each resource",
            p.description,
        ]),
    );
}

export function policyConfig(policies: Policies = allPolicies): string {
    const rows: string[][] = [];
    const without: string[] = [];
    for (const p of policies) {
        const properties = Object.entries<Schema>((p.configSchema?.properties ?? {}) as Record<string, Schema>);
        if (properties.length === 0) without.push(code(p.name));
        for (const [key, schema] of properties) {
            rows.push([code(p.name), code(key), schemaType(schema), "default" in schema ? code(schema.default) : "—", schema.description ?? ""]);
        }
    }
    const table = markdownTable(["Policy", "Key", "Type", "Default", "Meaning"], rows);
    return without.length ? `${table}\n\nNo config keys besides the enforcement level: ${without.join(", ")}.` : table;
}

/** A `CONFIG_KEYS` entry; the optional limits are rendered when a key declares them. */
export interface StackKeySpec {
    type: string;
    default: unknown;
    description: string;
    minimum?: number;
    maximum?: number;
    enum?: readonly unknown[];
}

/** The default as `pulumi config` shows it: lists as JSON, the empty string as ""; none: the key is required. */
export function stackDefault(value: unknown): string {
    if (value === undefined) return "— (required)";
    return code(Array.isArray(value) ? JSON.stringify(value) : value === "" ? '""' : String(value));
}

function stackType(spec: StackKeySpec): string {
    if (spec.type === "array") return "list of strings";
    return schemaType({ type: spec.type, enum: spec.enum ? [...spec.enum] : undefined, minimum: spec.minimum, maximum: spec.maximum } as Schema);
}

export function stackConfig(keys: Record<string, StackKeySpec> = CONFIG_KEYS): string {
    return markdownTable(
        ["Key", "Type", "Default", "Meaning"],
        [
            // Not a rootguard: key: the AWS provider's region, which parseConfig requires.
            [code("aws:region"), "string", "— (required)", "Region of everything; the root-credential rules are global, one region suffices."],
            ...Object.entries(keys).map(([key, spec]) => [
                code(`rootguard:${key}`),
                stackType(spec),
                stackDefault(spec.default),
                spec.description,
            ]),
        ],
    );
}

/** Every generated region of the docs. */
export function docRegions(): Region[] {
    return [
        { file: "docs/policies.md", id: "policies/summary", source: "the policy objects in policies/*.ts", content: policySummary() },
        { file: "docs/policies.md", id: "policies/config", source: "each policy's configSchema in policies/*.ts", content: policyConfig() },
        { file: "docs/stacks.md", id: "stacks/config", source: "CONFIG_KEYS in stacks/config.ts", content: stackConfig() },
    ];
}
