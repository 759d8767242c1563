/**
 * Every IAM policy document a program run generated, wherever it sits: any input string (at any depth) that
 * parses as a policy (`Statement`) is one, so documents added by other components are found without a list.
 * Each is classified by what AWS evaluates it as, and resource policies get the ARN of the resource they guard.
 */
import type { ProgramRun, RecordedResource } from "./program";

export type DocumentKind = "identity" | "trust" | "resource" | "scp" | "rcp";

export interface GeneratedDocument {
    /** `<type> <logical name>.<property path>` */
    where: string;
    kind: DocumentKind;
    resource: RecordedResource;
    doc: { Version?: string; Statement: any[] | any };
    /** Resource policies: the ARN of the resource the policy is attached to (its `*` means this resource). */
    target?: string;
}

function parsePolicy(value: string): GeneratedDocument["doc"] | undefined {
    const text = value.trim();
    if (!text.startsWith("{") || !text.includes("Statement")) return undefined;
    try {
        const doc = JSON.parse(text);
        return doc && typeof doc === "object" && "Statement" in doc ? doc : undefined;
    } catch {
        return undefined;
    }
}

function* strings(value: unknown, path: string): Generator<[string, string]> {
    if (typeof value === "string") yield [path, value];
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, path ? `${path}.${k}` : k);
}

const IDENTITY_TYPES = new Set([
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
]);

function kindOf(r: RecordedResource, path: string): DocumentKind {
    if (r.type === "aws:iam/role:Role") return path === "assumeRolePolicy" ? "trust" : "identity";
    if (IDENTITY_TYPES.has(r.type)) return "identity";
    if (r.type === "aws:organizations/policy:Policy") return r.inputs.type === "RESOURCE_CONTROL_POLICY" ? "rcp" : "scp";
    return "resource";
}

/** The resource a resource policy is attached to: the resource itself (a key policy) or the one it names. */
function targetOf(run: ProgramRun, r: RecordedResource): string | undefined {
    const ref = r.inputs.arn ?? r.inputs.queueUrl ?? r.inputs.bucket ?? r.inputs.eventBusName ?? r.inputs.keyId;
    if (ref === undefined) return r.state.arn;
    const named = run.resources.find((o) => o !== r && o.custom && o.state.arn !== undefined && (o.id === ref || o.state.arn === ref));
    return named?.state.arn ?? (typeof ref === "string" && ref.startsWith("arn:") ? ref : undefined);
}

export function generatedDocuments(run: ProgramRun): GeneratedDocument[] {
    const out: GeneratedDocument[] = [];
    for (const r of run.resources) {
        if (!r.custom) continue;
        for (const [path, value] of strings(r.inputs, "")) {
            const doc = parsePolicy(value);
            if (doc === undefined) continue;
            const kind = kindOf(r, path);
            out.push({
                where: `${r.type} ${r.name}.${path}`,
                kind,
                resource: r,
                doc,
                target: kind === "resource" ? targetOf(run, r) : undefined,
            });
        }
    }
    return out;
}

export function statements(doc: GeneratedDocument["doc"]): any[] {
    return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function list(value: unknown): string[] {
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
}
