/**
 * Assets and archives as the Pulumi engine sends them to a policy pack. The engine marshals resource inputs for
 * Analyze with MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys} and no ElideAssetContents
 * (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go), so an asset travels as its serialized form
 * (sdk/go/common/resource/asset/asset.go Serialize): the signature, the hash the engine computed when the
 * program registered it, and whichever of text, path or uri it has; an archive as the signature and its
 * assets, path or uri (archive.go Serialize). The pack's policy SDK turns these back into @pulumi/pulumi
 * StringAsset/FileAsset/AssetArchive… objects (@pulumi/policy deserialize.js).
 *
 * What a policy can read follows: a string asset's text and an archive's string assets; for file and remote
 * assets only the path or URI — their contents never reach the pack.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { ARCHIVE_SIG, ASSET_SIG, SPECIAL_SIG_KEY } from "../core/pulumi-values";

export interface WireAsset {
    [SPECIAL_SIG_KEY]: typeof ASSET_SIG;
    hash?: string;
    text?: string;
    path?: string;
    uri?: string;
}

export interface WireArchive {
    [SPECIAL_SIG_KEY]: typeof ARCHIVE_SIG;
    hash?: string;
    assets?: Record<string, WireAsset | WireArchive>;
    path?: string;
    uri?: string;
}

function sha256(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** `text` with the SHA-256 the engine computes (EnsureHash); empty text is omitted, as Serialize does. */
export function stringAsset(text: string): WireAsset {
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, hash: sha256(text), ...(text !== "" ? { text } : {}) };
}

/** A file asset: the path only (and its hash when the file can be read here, as the engine would). */
export function fileAsset(path: string): WireAsset {
    let hash: string | undefined;
    try {
        hash = sha256(fs.readFileSync(path));
    } catch {
        // The engine fails the update on an unreadable file; a test may still want to send one.
    }
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, ...(hash ? { hash } : {}), path };
}

export function remoteAsset(uri: string): WireAsset {
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, uri };
}

/**
 * An archive of named assets or archives. The engine's archive hash is a digest of a tar stream it builds;
 * it is left out here, and policies never see it (the policy SDK drops hashes).
 */
export function assetArchive(assets: Record<string, WireAsset | WireArchive>): WireArchive {
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, assets };
}

export function fileArchive(path: string): WireArchive {
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, path };
}

export function remoteArchive(uri: string): WireArchive {
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, uri };
}

interface SdkAssetLike {
    __pulumiAsset?: unknown;
    __pulumiArchive?: unknown;
    text?: unknown;
    path?: unknown;
    uri?: unknown;
    assets?: unknown;
}

/**
 * `value` with every @pulumi/pulumi asset or archive object (recognised by its RTTI marker, so any copy of the
 * SDK works) replaced by the wire form above, awaiting their promised fields — what a program's registered
 * inputs look like by the time the engine sends them to a pack. Other values are copied as they are.
 */
export async function toWireAssets(value: unknown): Promise<unknown> {
    return convert(value, new Set());
}

async function convert(value: unknown, open: Set<object>): Promise<unknown> {
    if (value === null || typeof value !== "object" || open.has(value)) return value;
    const a = value as SdkAssetLike;
    if (a.__pulumiAsset === true) {
        const [text, path, uri] = await Promise.all([a.text, a.path, a.uri]);
        if (typeof text === "string") return stringAsset(text);
        if (typeof path === "string") return fileAsset(path);
        if (typeof uri === "string") return remoteAsset(uri);
        return value;
    }
    if (a.__pulumiArchive === true) {
        const [assets, path, uri] = await Promise.all([a.assets, a.path, a.uri]);
        if (assets !== null && typeof assets === "object") {
            const members: Record<string, WireAsset | WireArchive> = {};
            for (const [name, member] of Object.entries(assets as Record<string, unknown>)) {
                members[name] = (await convert(member, open)) as WireAsset | WireArchive;
            }
            return assetArchive(members);
        }
        if (typeof path === "string") return fileArchive(path);
        if (typeof uri === "string") return remoteArchive(uri);
        return value;
    }
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    open.add(value);
    try {
        if (Array.isArray(value)) return await Promise.all(value.map((v) => convert(v, open)));
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await convert(v, open);
        return out;
    } finally {
        open.delete(value);
    }
}
