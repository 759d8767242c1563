/**
 * The resource monitor unmarshals a registration with `ComputeAssetHashes: true` and the program's working
 * directory (pulumi/pulumi pkg/resource/deploy/source_eval.go, RegisterResource), so every asset reaches the
 * analyzers with the SHA-256 of its contents (`asset.EnsureHashWithWD`) and every archive that is a file with
 * the SHA-256 of its bytes (`archive.EnsureHashWithWD`). The mocks skip that step; this is it.
 *
 * Not reproduced: the hash of an archive the engine must first pack (an AssetArchive or a directory), which
 * is the SHA-256 of a tar stream written by Go's archive/tar, and of remote assets, which the engine downloads.
 * Those are sent without a hash.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SPECIAL_SIG_KEY } from "../../core/pulumi-values";
import { ARCHIVE_SIG, ASSET_SIG } from "./analyzer-properties";

const FILE_ARCHIVE = /\.(zip|jar|tar|tgz|tar\.gz)$/i;

function sha256(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

function fileHash(file: string, workingDir: string): string | undefined {
    try {
        const full = path.resolve(workingDir, file);
        if (!fs.statSync(full).isFile()) return undefined;
        return sha256(fs.readFileSync(full));
    } catch {
        // A missing file fails the real preview at the engine; offline the asset is sent as written.
        return undefined;
    }
}

function withHashes(value: unknown, workingDir: string): unknown {
    if (Array.isArray(value)) return value.map((v) => withHashes(v, workingDir));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = withHashes(v, workingDir);
    if (typeof out.hash === "string" && out.hash !== "") return out;
    const sig = obj[SPECIAL_SIG_KEY];
    let hash: string | undefined;
    if (sig === ASSET_SIG) {
        if (typeof obj.text === "string" && !obj.path && !obj.uri) hash = sha256(obj.text);
        else if (typeof obj.path === "string" && obj.path !== "") hash = fileHash(obj.path, workingDir);
    } else if (sig === ARCHIVE_SIG && typeof obj.path === "string" && FILE_ARCHIVE.test(obj.path)) {
        hash = fileHash(obj.path, workingDir);
    }
    if (hash !== undefined) out.hash = hash;
    return out;
}

/** A registration's properties with the hashes the engine computes when it receives them. */
export function withAssetHashes(props: Record<string, unknown>, workingDir: string): Record<string, unknown> {
    return withHashes(props, workingDir) as Record<string, unknown>;
}
