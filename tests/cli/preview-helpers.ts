/**
 * Runs the built `rootguard` CLI as a user would, in a child process, against rootguard's own compiled pack
 * (dist/policies), built first by `ensureBuilt` (tests/build.ts).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(__dirname, "fixtures");
const MAIN_TS = path.join(REPO_ROOT, "src/cli/main.ts");

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** A child environment without colour forcing or AWS settings from the developer's shell. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (k.startsWith("AWS_") || k === "FORCE_COLOR" || k.startsWith("TS_NODE_")) continue;
        env[k] = v;
    }
    return { ...env, ...extra };
}

/** `source: true` runs src/cli/main.ts under ts-node instead, as during development. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; source?: boolean } = {}): Promise<CliResult> {
    const entry = options.source ? ["-r", "ts-node/register/transpile-only", MAIN_TS] : [path.join(REPO_ROOT, "dist/src/cli/main.js")];
    return runCommand(process.execPath, [...entry, ...args], options);
}

/** Any command, run to completion with its output captured (by default in the repository, with cleanEnv()). */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
            cwd: options.cwd ?? REPO_ROOT,
            env: options.env ?? cleanEnv(),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

export function fixture(name: string): string {
    return path.join(FIXTURES, name);
}

/** The fabricated credentials the fixtures carry: none may ever appear whole in any output. */
export const FIXTURE_SECRETS = [
    "AKIAUJZDEGXDNCF32EPF",
    "FkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo+h",
    "AKIA3DHODZDOCIS2JHTL",
    "BKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1VOqg6YY",
    "AKIAGMXGEDN73U55XTPL",
    "ZYn9ZhyiA4uoRgnatmUdjAWtGSU8po/799NksnRH",
    // examples/leaky-app
    "AKIAPYCDYBK377OXTZQ6",
    "S6xxMYHxq2B5kRP0r6UV1cZB3urJ1mKpWx/KA7Ev",
    "AKIASVIZX3ORO7NZQDG4",
    "Ztxr9Pko2JjCKlpXFB7BSv0hD9Oi22Jc8FQF6cA1",
];

export function assertNoSecrets(result: CliResult, secrets: string[] = FIXTURE_SECRETS): void {
    const all = result.stdout + result.stderr;
    for (const s of secrets) {
        if (all.includes(s)) throw new Error(`output contains the full credential ${s.slice(0, 4)}…`);
        // A secret cut in half is still a leak.
        if (s.length === 40 && (all.includes(s.slice(0, 20)) || all.includes(s.slice(20)))) {
            throw new Error(`output contains half of secret ${s.slice(0, 4)}…`);
        }
    }
}

export const JSON_KEYS = ["stack", "policyPack", "resources", "violations", "summary"];
