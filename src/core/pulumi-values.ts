/**
 * Pulumi's wire markers, as they appear in property trees handed to policies, in stack exports and in
 * mocks. Knowing them lets every reader skip unknowns and see through secrets without the Pulumi SDK.
 */

export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Assets and archives on the wire (pulumi/pulumi sdk/go/common/resource/sig/sig.go). */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** The engine's unknown (preview) string: also what an encrypted value is when nobody can decrypt it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The engine's unknown string, and the policy SDK's per-type unknown sentinels. */
export const UNKNOWN_VALUES: ReadonlySet<string> = new Set([
    UNKNOWN,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && value.length === 36 && UNKNOWN_VALUES.has(value);
}

function sigOf(value: unknown): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    try {
        return (value as Record<string, unknown>)[SPECIAL_SIG_KEY];
    } catch {
        return undefined;
    }
}

export function isSecretWrapper(value: unknown): value is { value?: unknown; ciphertext?: string } {
    return sigOf(value) === SECRET_SIG;
}

/** `value` as the engine marks a secret on the wire. */
export function wrapSecret<T>(value: T): { [SPECIAL_SIG_KEY]: typeof SECRET_SIG; value: T } {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** A provider resource type (`pulumi:providers:<pkg>`). */
export function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

/**
 * The plain value inside any number of secret wrappers. An encrypted secret (a stack export's
 * `ciphertext`) has no readable value: it comes back as `undefined`, exactly like an unknown.
 */
export function unwrapSecret(value: unknown): { value: unknown; secret: boolean } {
    let secret = false;
    let current = value;
    for (let i = 0; i < 8 && isSecretWrapper(current); i++) {
        secret = true;
        current = (current as { value?: unknown }).value;
    }
    return { value: current, secret };
}

const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The policy SDK wraps props in a proxy that throws on reading an unknown, turning a whole policy into
 * an advisory "can't be known during preview". Deep readers take the raw tree and skip unknowns instead.
 */
export function rawProps<T = Record<string, unknown>>(props: unknown): T {
    if (props !== null && typeof props === "object") {
        try {
            const target = (props as Record<string, unknown>)[PROXY_TARGET];
            if (target !== undefined && target !== null && typeof target === "object") return target as T;
        } catch {
            // Not the SDK's proxy.
        }
    }
    return props as T;
}

/** A string if the value is one (through secrets), otherwise undefined; unknowns read as undefined. */
export function asString(value: unknown): string | undefined {
    const plain = unwrapSecret(value).value;
    return typeof plain === "string" && !isUnknown(plain) ? plain : undefined;
}

/** Safe property read that never throws (getters, proxies, revoked objects). */
export function readProp(obj: unknown, key: string): unknown {
    if (obj === null || typeof obj !== "object") return undefined;
    try {
        return unwrapSecret((obj as Record<string, unknown>)[key]).value;
    } catch {
        return undefined;
    }
}

/**
 * What a policy can read of an asset or archive: a text asset's text, an archive's members by name. File and
 * remote assets carry only a path or URI (the engine never sends file contents to a policy pack), so they read
 * as undefined. Takes the wire form (`{<sig>: ASSET_SIG, text}`, as in AnalyzeRequest and stack exports) and
 * the objects the policy SDK makes of it once resolvePulumiAssets has read their promised fields.
 */
export function assetContent(value: unknown, resolved?: ReadonlyMap<object, unknown>): { content: unknown } | undefined {
    if (value === null || typeof value !== "object") return undefined;
    const hit = resolved?.get(value);
    if (hit !== undefined) return { content: hit };
    const sig = sigOf(value);
    if (sig !== ASSET_SIG && sig !== ARCHIVE_SIG) return undefined;
    const v = value as { text?: unknown; assets?: unknown };
    return { content: sig === ASSET_SIG ? (typeof v.text === "string" ? v.text : undefined) : v.assets };
}

interface SdkAsset {
    __pulumiAsset?: unknown;
    __pulumiArchive?: unknown;
    text?: unknown;
    assets?: unknown;
}

/**
 * The policy SDK hands assets and archives to policies as @pulumi/pulumi objects whose fields are promises
 * (StringAsset.text, AssetArchive.assets). Finds them (by their RTTI markers, so any SDK copy works) and reads
 * those promises: the result maps each object to its text, or an archive to `{name: content}`, for
 * scanForCredentials' `assets` option. Never throws; what cannot be read is left out.
 */
export async function resolvePulumiAssets(root: unknown): Promise<Map<object, unknown>> {
    const resolved = new Map<object, unknown>();
    const found: SdkAsset[] = [];
    const stack: unknown[] = [root];
    const seen = new Set<object>();
    while (stack.length > 0) {
        const value = unwrapSecret(stack.pop()).value;
        if (value === null || typeof value !== "object" || seen.has(value) || ArrayBuffer.isView(value)) continue;
        seen.add(value);
        try {
            const a = value as SdkAsset;
            if (a.__pulumiAsset === true || a.__pulumiArchive === true) {
                found.push(a);
                continue;
            }
            for (const child of Array.isArray(value) ? value : Object.values(value))
                if (child !== null && typeof child === "object") stack.push(child);
        } catch {
            // A throwing getter or revoked proxy: nothing to read there.
        }
    }
    await Promise.all(found.map((a) => resolveOne(a, resolved, 0)));
    return resolved;
}

async function resolveOne(a: SdkAsset, resolved: Map<object, unknown>, depth: number): Promise<unknown> {
    try {
        if (a.__pulumiAsset === true) {
            const text: unknown = await a.text;
            if (typeof text === "string") resolved.set(a, text);
            return text;
        }
        const members: unknown = await a.assets;
        if (depth > 16 || members === null || typeof members !== "object") return undefined;
        const out: Record<string, unknown> = {};
        for (const [name, member] of Object.entries(members as Record<string, unknown>)) {
            if (member !== null && typeof member === "object") out[name] = await resolveOne(member as SdkAsset, resolved, depth + 1);
        }
        resolved.set(a, out);
        return out;
    } catch {
        return undefined;
    }
}
