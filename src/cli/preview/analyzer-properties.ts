/**
 * Property trees in the form the engine sends them to a policy pack. The engine holds a resource's inputs as
 * its resource monitor unmarshaled them and marshals them again for each analyzer call with
 * `MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}` and nothing else
 * (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go, Analyze and AnalyzeStack). With
 * `KeepResources` false, `MarshalPropertyValue` (sdk/go/common/resource/plugin/rpc.go) sends a resource
 * reference as its ID, or as its URN when it has none (a component); an ID not known yet is the unknown
 * string. Output values (`KeepOutputValues` false) become their plain value, secret-wrapped if secret,
 * or unknown. Assets and archives keep their signature and contents with only the engine's fields
 * (`asset.Serialize`, `archive.Serialize`). Secrets and unknowns stay as they are.
 */
import { ARCHIVE_SIG, ASSET_SIG, SPECIAL_SIG_KEY, UNKNOWN, isUnknown, wrapSecret } from "../../core/pulumi-values";

/** Signatures from pulumi/pulumi sdk/go/common/resource/sig/sig.go (assets' and archives' in core/pulumi-values.ts). */
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

const ASSET_FIELDS = ["hash", "text", "path", "uri"];
const ARCHIVE_FIELDS = ["hash", "assets", "path", "uri"];

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A resource reference as `MarshalPropertyValue` sends it when KeepResources is false. */
function referenceValue(ref: Record<string, unknown>): unknown {
    if (!("id" in ref)) return typeof ref.urn === "string" ? ref.urn : UNKNOWN;
    const id = ref.id;
    // UnmarshalPropertyValue turns an empty or unknown ID into a computed one; marshaled, that is unknown.
    return typeof id === "string" && id !== "" && !isUnknown(id) ? id : UNKNOWN;
}

function pick(obj: Record<string, unknown>, sig: string, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { [SPECIAL_SIG_KEY]: sig };
    for (const field of fields) {
        const value = obj[field];
        // Serialize() leaves out empty fields.
        if (value === undefined || value === null || value === "") continue;
        out[field] = field === "assets" && isObject(value) ? mapValues(value, toAnalyzerValue) : value;
    }
    return out;
}

function mapValues(obj: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = fn(v);
    return out;
}

export function toAnalyzerValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(toAnalyzerValue);
    if (!isObject(value)) return value;
    switch (value[SPECIAL_SIG_KEY]) {
        case RESOURCE_REFERENCE_SIG:
            return referenceValue(value);
        case OUTPUT_VALUE_SIG: {
            const plain = "value" in value ? toAnalyzerValue(value.value) : UNKNOWN;
            return value.secret === true ? wrapSecret(plain) : plain;
        }
        case ASSET_SIG:
            return pick(value, ASSET_SIG, ASSET_FIELDS);
        case ARCHIVE_SIG:
            return pick(value, ARCHIVE_SIG, ARCHIVE_FIELDS);
        default:
            return mapValues(value, toAnalyzerValue);
    }
}

/** A resource's property map for Analyze/AnalyzeStack: top-level `__` keys are internal and skipped. */
export function toAnalyzerProperties(props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
        if (key.startsWith("__")) continue;
        out[key] = toAnalyzerValue(value);
    }
    return out;
}
