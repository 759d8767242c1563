/**
 * `pulumi stack export` (deployment v3) to the same records a preview produces, so `rootguard analyze`
 * evaluates saved state through exactly the preview's path.
 */
import { UserError } from "../errors";
import { parseJsonText, readTextFile } from "../files";
import type { ResourceRecord } from "./records";
import { isRecord } from "./project";
import { UNKNOWN, isSecretWrapper, wrapSecret } from "../../core/pulumi-values";

export interface SavedStack {
    stack: string;
    project: string;
    records: ResourceRecord[];
}

/**
 * Exports hold secrets encrypted (`ciphertext`) or, with --show-secrets, as JSON text (`plaintext`). Offline
 * nobody can decrypt: an encrypted secret becomes a secret whose content is unknown, as in a preview. A tree
 * with no secret in it comes back as the same object: a 100 MB export must not be held twice.
 */
export function decodeStateValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const decoded = decodeStateValue(value[i]);
            if (decoded !== value[i]) (out ??= value.slice())[i] = decoded;
        }
        return out ?? value;
    }
    if (!isRecord(value)) return value;
    if (isSecretWrapper(value)) {
        const { plaintext } = value as Record<string, unknown>;
        if (typeof plaintext === "string") {
            let plain: unknown = plaintext;
            try {
                plain = JSON.parse(plaintext);
            } catch {
                // Not JSON: keep the text itself.
            }
            return wrapSecret(decodeStateValue(plain));
        }
        if ("value" in value) return wrapSecret(decodeStateValue(value.value));
        return wrapSecret(UNKNOWN);
    }
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
        const decoded = decodeStateValue(v);
        if (decoded !== v) (out ??= { ...value })[k] = decoded;
    }
    return out ?? value;
}

function props(value: unknown): Record<string, unknown> {
    return isRecord(value) ? (decodeStateValue(value) as Record<string, unknown>) : {};
}

function urnParts(urn: string): { stack: string; project: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : undefined;
}

const EXPORT_VERSION = 3;
const HOW_TO_EXPORT = "write one with `pulumi stack export --file <file>`";

/** What `pulumi stack export` writes: `{"version": 3, "deployment": {"resources": [...]}}`, checked. */
function deploymentResources(doc: unknown, file: string): unknown[] {
    if (!isRecord(doc) || !("deployment" in doc || "version" in doc)) {
        throw new UserError(`${file} is not a stack export (no "version" and "deployment"): ${HOW_TO_EXPORT}`);
    }
    if (doc.version !== EXPORT_VERSION) {
        const found = typeof doc.version === "number" ? `version ${doc.version}` : `"version": ${JSON.stringify(doc.version ?? null)}`;
        throw new UserError(
            `${file} is a stack export of ${found}; rootguard reads version ${EXPORT_VERSION}, which current Pulumi CLIs write: ${HOW_TO_EXPORT}`,
        );
    }
    if (!isRecord(doc.deployment)) throw new UserError(`${file} has no "deployment" object: ${HOW_TO_EXPORT}`);
    const resources = doc.deployment.resources;
    if (resources !== undefined && !Array.isArray(resources)) throw new UserError(`${file}: deployment.resources must be a list`);
    if (!resources || resources.length === 0) {
        throw new UserError(`${file} holds no resources (an empty or destroyed stack): there is nothing to analyze`);
    }
    return resources;
}

export function readStackExport(file: string): SavedStack {
    const raw = deploymentResources(parseJsonText(readTextFile(file, "stack export"), file, "stack export", HOW_TO_EXPORT), file);
    const records: ResourceRecord[] = [];
    for (const [i, r] of raw.entries()) {
        if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
            throw new UserError(`${file}: deployment.resources[${i}] has no urn or type`);
        }
        // Resources awaiting deletion are not part of the stack the engine would analyze.
        if (r.delete === true) continue;
        const outputs = props(r.outputs);
        const inputs = isRecord(r.inputs) ? props(r.inputs) : outputs;
        records.push({
            urn: r.urn,
            type: r.type,
            name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
            custom: r.custom !== false && !r.type.startsWith("pulumi:pulumi:") && (r.custom === true || typeof r.id === "string"),
            id: typeof r.id === "string" ? r.id : undefined,
            parent: typeof r.parent === "string" ? r.parent : undefined,
            dependencies: Array.isArray(r.dependencies) ? r.dependencies.filter((d): d is string => typeof d === "string") : [],
            providerRef: typeof r.provider === "string" ? r.provider : undefined,
            inputs,
            outputs,
            external: r.external === true || undefined,
        });
    }
    const where = records.map((r) => urnParts(r.urn)).find((p) => p !== undefined);
    return { stack: where?.stack ?? "unknown", project: where?.project ?? "unknown", records };
}
