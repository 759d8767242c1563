/**
 * Shared by the protocol suites: fixture locations, credential-shaped test values built at run time,
 * a clean AWS environment for pack processes, and throwaway pack directories for start-up failures.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { offlineEnv } from "../../bench/pack-bench";
import { prng } from "../../bench/resources";
import { classifyKeyId, classifySecret } from "../../src/core/access-keys";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const TRIVIAL_PACK = path.join(REPO_ROOT, "tests/fixtures/trivial-pack");

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Uniform characters from a 32-bit generator (bench/resources' mulberry32). An LCG multiplied in doubles loses
 * its low bits past 2^53: the old version gave AKIAYAAAAAAAAAAAAAAA, which is a placeholder, not a key.
 */
function chars(rnd: () => number, alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(rnd() * alphabet.length)];
    return out;
}

/** A new-generation (5th character Q–Z or 2–7) long-term key ID, deterministic per seed, never a real key. */
export function fakeKeyId(seed: number): string {
    const rnd = prng(seed);
    for (;;) {
        const id = `AKIA${chars(rnd, "QRSTUVWXYZ234567", 1)}${chars(rnd, BASE32, 15)}`;
        // About 1 in 10^4 random IDs looks typed by a person; skip those, as the scanner rightly would.
        if (classifyKeyId(id) === "credential") return id;
    }
}

/** 40 characters of the base64 alphabet: the shape of a secret access key, deterministic per seed. */
export function fakeSecret(seed: number): string {
    const rnd = prng(seed ^ 0x5bd1e995);
    for (;;) {
        const secret = chars(rnd, BASE64, 40);
        if (classifySecret(secret) === "secret") return secret;
    }
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
