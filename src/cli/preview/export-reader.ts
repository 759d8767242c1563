/**
 * `pulumi stack export` (deployment v3) to the same records a preview produces, so `rootguard analyze`
 * evaluates saved state through exactly the preview's path.
 */
import * as fs from "fs";
import { UserError } from "../errors";
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
 * nobody can decrypt: an encrypted secret becomes a secret whose content is unknown, as in a preview.
 */
export function decodeStateValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(decodeStateValue);
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
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeStateValue(v);
    return out;
}

function props(value: unknown): Record<string, unknown> {
    return isRecord(value) ? (decodeStateValue(value) as Record<string, unknown>) : {};
}

function urnParts(urn: string): { stack: string; project: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : undefined;
}

export function readStackExport(file: string): SavedStack {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new UserError(`cannot read stack export ${file}: ${e.code ?? e.message.split("\n")[0]}`);
    }
    const deployment = isRecord(doc) && isRecord(doc.deployment) ? doc.deployment : undefined;
    if (!isRecord(doc) || !deployment) {
        throw new UserError(`${file} is not a stack export: expected {"version": 3, "deployment": {...}} from \`pulumi stack export\``);
    }
    if (typeof doc.version === "number" && doc.version > 3) {
        throw new UserError(`${file} is a deployment version ${doc.version} export; version 3 and older are supported`);
    }
    const raw = Array.isArray(deployment.resources) ? deployment.resources : [];
    const records: ResourceRecord[] = [];
    for (const [i, r] of raw.entries()) {
        if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
            throw new UserError(`${file}: resource #${i} has no urn or type`);
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
