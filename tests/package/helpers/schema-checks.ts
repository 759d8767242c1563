/**
 * What a clean component schema has (issue 14): a description on every component, input and output, and a real
 * type on each: `pulumi.json#/Any` is what the analyzer writes for `any`/`unknown`, and generated SDKs then take
 * anything. The shape follows Pulumi's package schema (pulumi/pulumi pkg/codegen/schema).
 */
export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    description?: string;
    [key: string]: unknown;
}

export interface PackageSchema {
    name: string;
    resources: Record<
        string,
        {
            description?: string;
            inputProperties: Record<string, PropertySpec>;
            requiredInputs?: string[];
            properties: Record<string, PropertySpec>;
            required?: string[];
            isComponent?: boolean;
        }
    >;
    types: Record<string, { type: string; enum?: { name?: string; value: string }[]; properties?: Record<string, PropertySpec> }>;
}

function typeProblem(spec: PropertySpec | undefined): string | undefined {
    if (spec === undefined) return "has no item type";
    if (spec.$ref === "pulumi.json#/Any" || (spec.type === undefined && spec.$ref === undefined)) return "is untyped (pulumi.json#/Any)";
    if (spec.type === "array") return typeProblem(spec.items);
    if (spec.type === "object" && spec.additionalProperties) return typeProblem(spec.additionalProperties);
    return undefined;
}

/** Every problem, one line each; none for a clean schema. */
export function schemaProblems(schema: PackageSchema): string[] {
    const problems: string[] = [];
    const check = (owner: string, kind: string, props: Record<string, PropertySpec> | undefined) => {
        for (const [name, spec] of Object.entries(props ?? {})) {
            if (!spec.description?.trim()) problems.push(`${owner} ${kind} ${name} has no description`);
            const bad = typeProblem(spec);
            if (bad) problems.push(`${owner} ${kind} ${name} ${bad}`);
        }
    };
    for (const [token, resource] of Object.entries(schema.resources)) {
        if (!resource.description?.trim()) problems.push(`${token} has no description`);
        if (!resource.isComponent) problems.push(`${token} is not a component`);
        check(token, "input", resource.inputProperties);
        check(token, "output", resource.properties);
    }
    for (const [token, type] of Object.entries(schema.types)) {
        if (type.type === "object") check(token, "property", type.properties);
    }
    return problems;
}
