/**
 * Assets and archives as the Pulumi engine sends them to a policy pack: the one implementation, used by the offline
 * preview (registrations recorded under mocks) and by tests and the bench (SDK objects or hand-built values).
 *
 * The engine marshals resource inputs for Analyze with MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys}
 * and no ElideAssetContents (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go), so an asset travels as its
 * serialized form (sdk/go/common/resource/asset/asset.go Serialize): the signature, the hash, and whichever of
 * text, path or uri it has (empty fields omitted); an archive as the signature, hash and its assets, path or uri
 * (sdk/go/common/resource/archive/archive.go Serialize). The pack's policy SDK turns these back into
 * @pulumi/pulumi StringAsset/FileAsset/AssetArchive… objects (@pulumi/policy deserialize.js).
 *
 * The hash is the one the resource monitor computes when a program registers the resource (`ComputeAssetHashes`
 * with the program's working directory, pkg/resource/deploy/source_eval.go RegisterResource → EnsureHashWithWD):
 * - an asset: SHA-256 of its contents — the text, or the file at its path resolved against the working directory;
 * - an archive whose path ends in .tar, .tgz, .tar.gz, .zip or .jar (archive.go detectArchiveFormat, a
 *   case-sensitive suffix test): SHA-256 of the file's bytes.
 * Not reproduced: remote assets and archives (the engine downloads them) and archives it must first pack (an
 * AssetArchive or a directory: SHA-256 of a tar stream written by Go's archive/tar). Those travel without a hash;
 * policies never see hashes anyway (the policy SDK drops them).
 *
 * What a policy can read follows: a string asset's text and an archive's string assets; for file and remote
 * assets only the path or URI — their contents never reach the pack.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
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

/** archive.go ArchiveExts: the suffixes whose files the engine hashes as bytes instead of packing them. */
const ARCHIVE_FILE = /\.(tar|tgz|tar\.gz|zip|jar)$/;

/** SHA-256 of a regular file's bytes, `file` resolved against `workingDir`; undefined when it cannot be read. */
function fileHash(file: string, workingDir: string): string | undefined {
    try {
        const full = path.resolve(workingDir, file);
        if (!fs.statSync(full).isFile()) return undefined;
        return sha256(fs.readFileSync(full));
    } catch {
        // The engine fails the update on an unreadable file; offline the asset is sent as written.
        return undefined;
    }
}

/** The hash the engine gives an asset or archive in wire form on registration, when it can be had offline. */
function engineHash(value: Record<string, unknown>, workingDir: string): string | undefined {
    const sig = value[SPECIAL_SIG_KEY];
    const filePath = typeof value.path === "string" && value.path !== "" ? value.path : undefined;
    const uri = typeof value.uri === "string" && value.uri !== "" ? value.uri : undefined;
    if (sig === ASSET_SIG) {
        if (filePath !== undefined) return fileHash(filePath, workingDir);
        // asset.go IsText: neither path nor URI; no text at all is the empty text.
        if (uri === undefined) return sha256(typeof value.text === "string" ? value.text : "");
    } else if (sig === ARCHIVE_SIG && filePath !== undefined && ARCHIVE_FILE.test(filePath)) {
        return fileHash(filePath, workingDir);
    }
    return undefined;
}

/** `text` with the SHA-256 the engine computes; empty text is omitted, as Serialize does. */
export function stringAsset(text: string): WireAsset {
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, hash: sha256(text), ...(text !== "" ? { text } : {}) };
}

/** A file asset: the path only, and its hash when the file can be read here (relative paths from `workingDir`). */
export function fileAsset(filePath: string, workingDir = process.cwd()): WireAsset {
    const hash = fileHash(filePath, workingDir);
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, ...(hash ? { hash } : {}), path: filePath };
}

export function remoteAsset(uri: string): WireAsset {
    return { [SPECIAL_SIG_KEY]: ASSET_SIG, uri };
}

/** An archive of named assets or archives (no hash: see above). */
export function assetArchive(assets: Record<string, WireAsset | WireArchive>): WireArchive {
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, assets };
}

/** A file or directory archive; an archive file readable here carries the hash of its bytes. */
export function fileArchive(filePath: string, workingDir = process.cwd()): WireArchive {
    const hash = ARCHIVE_FILE.test(filePath) ? fileHash(filePath, workingDir) : undefined;
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, ...(hash ? { hash } : {}), path: filePath };
}

export function remoteArchive(uri: string): WireArchive {
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, uri };
}

/**
 * A registration's properties (already in wire form, as the SDK serializes them under mocks) with the hashes the
 * engine adds when it receives them; a hash the program gave is kept. Other fields are left to the marshalling
 * for the analyzer (src/cli/preview/analyzer-properties.ts), which keeps only Serialize's.
 */
export function withAssetHashes(props: Record<string, unknown>, workingDir: string): Record<string, unknown> {
    return withHashes(props, workingDir) as Record<string, unknown>;
}

function withHashes(value: unknown, workingDir: string): unknown {
    if (Array.isArray(value)) return value.map((v) => withHashes(v, workingDir));
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withHashes(v, workingDir);
    if (typeof out.hash === "string" && out.hash !== "") return out;
    const hash = engineHash(out, workingDir);
    if (hash !== undefined) out.hash = hash;
    return out;
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
 * inputs look like by the time the engine sends them to a pack (relative paths from `workingDir`, the program's
 * directory). Other values are copied as they are.
 */
export async function toWireAssets(value: unknown, workingDir = process.cwd()): Promise<unknown> {
    return convert(value, new Set(), workingDir);
}

async function convert(value: unknown, open: Set<object>, workingDir: string): Promise<unknown> {
    if (value === null || typeof value !== "object" || open.has(value)) return value;
    const a = value as SdkAssetLike;
    if (a.__pulumiAsset === true) {
        const [text, filePath, uri] = await Promise.all([a.text, a.path, a.uri]);
        if (typeof text === "string") return stringAsset(text);
        if (typeof filePath === "string") return fileAsset(filePath, workingDir);
        if (typeof uri === "string") return remoteAsset(uri);
        return value;
    }
    if (a.__pulumiArchive === true) {
        const [assets, filePath, uri] = await Promise.all([a.assets, a.path, a.uri]);
        if (assets !== null && typeof assets === "object") {
            const members: Record<string, WireAsset | WireArchive> = {};
            for (const [name, member] of Object.entries(assets as Record<string, unknown>)) {
                members[name] = (await convert(member, open, workingDir)) as WireAsset | WireArchive;
            }
            return assetArchive(members);
        }
        if (typeof filePath === "string") return fileArchive(filePath, workingDir);
        if (typeof uri === "string") return remoteArchive(uri);
        return value;
    }
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    open.add(value);
    try {
        if (Array.isArray(value)) return await Promise.all(value.map((v) => convert(v, open, workingDir)));
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await convert(v, open, workingDir);
        return out;
    } finally {
        open.delete(value);
    }
}
