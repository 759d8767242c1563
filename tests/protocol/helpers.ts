/**
 * Shared by the protocol suites: fixture locations, credential-shaped test values built at run time,
 * a clean AWS environment for pack processes, and throwaway pack directories for start-up failures.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { offlineEnv } from "../../bench/pack-bench";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const TRIVIAL_PACK = path.join(REPO_ROOT, "tests/fixtures/trivial-pack");

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A new-generation (5th character Q–Z) long-term key ID, deterministic per seed, never a real key. */
export function fakeKeyId(seed: number): string {
    let body = "Y";
    let x = seed * 2654435761;
    for (let i = 0; i < 15; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        body += BASE32[x % 32];
    }
    return `AKIA${body}`;
}

/** 40 characters of mixed base64 alphabet: the shape of a secret access key. */
export function fakeSecret(seed: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let out = "";
    let x = seed * 40503 + 7;
    for (let i = 0; i < 40; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        out += alphabet[x % 64];
    }
    // Guarantee upper, lower and digit so no heuristic can dismiss it.
    return `Aa1${out.slice(3)}`;
}

/** Every 8-character window of `secret`: a message containing any of them leaks part of the secret. */
export function secretFragments(secret: string, width = 8): string[] {
    const out: string[] = [];
    for (let i = 0; i + width <= secret.length; i++) out.push(secret.slice(i, i + width));
    return out;
}

/** The caller's environment without any AWS credential source, so a pack sees only what a test gives it. */
export function isolatedAwsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return offlineEnv(extra);
}

/** A pack directory outside the repository (so nothing resolves upward into rootguard's node_modules). */
export function tempPack(mainSource: string, packageJson: Record<string, unknown> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-pack-"));
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "temp-pack", version: "0.0.1", main: "index.js", ...packageJson }),
    );
    fs.writeFileSync(path.join(dir, "index.js"), mainSource);
    return dir;
}

export function isRunning(pid: number | undefined): boolean {
    if (pid === undefined) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}
