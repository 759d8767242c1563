/**
 * Measures `rootguard preview` on a folder of Pulumi programs (a held-out set: e.g. a checkout of pulumi/examples),
 * each from a copy, as a new user runs it: `--stack dev`, the program's stack file when it has one, otherwise
 * `--allow-missing-stack-file` with aws:region and aws-native:region set. Prints one line per program and a
 * summary by outcome. Fetches nothing.
 *
 *   node -r ts-node/register/transpile-only tests/cli/preview-tools/measure-programs.ts <programs-dir> [--node-modules DIR] [--fill-config]
 *
 * `--node-modules DIR` links DIR into each copy as its node_modules (packages installed once, shared by all).
 * `--fill-config` answers each "missing required configuration" with `--config KEY=preview`, as a user following
 * the program's README would set it, until the program runs or stops for another reason.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mapBounded } from "../../../src/core/paging";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(REPO_ROOT, "dist/src/cli/main.js");

interface Outcome {
    program: string;
    code: number | null;
    kind: string;
    detail: string;
    seconds: number;
}

function programs(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
            const sub = path.join(dir, entry.name);
            const yaml = path.join(sub, "Pulumi.yaml");
            if (fs.existsSync(yaml) && /runtime:\s*(\n\s+name:\s*)?nodejs/.test(fs.readFileSync(yaml, "utf8"))) out.push(sub);
            walk(sub);
        }
    };
    walk(root);
    return out.sort();
}

function classify(code: number | null, stdout: string, stderr: string): { kind: string; detail: string } {
    const line =
        stderr
            .split("\n")
            .filter((l) => l.startsWith("rootguard: "))
            .pop() ?? "";
    if (code === 0 || code === 1) {
        try {
            const s = JSON.parse(stdout).summary;
            return {
                kind: code === 0 ? "passed" : "blocked",
                detail: `${s.resources} resources, ${s.mandatory} mandatory, ${s.advisory} advisory`,
            };
        } catch {
            return { kind: "no report", detail: stdout.slice(0, 200) };
        }
    }
    const rules: [RegExp, string][] = [
        [/missing required configuration/, "stopped: needs config"],
        [/program needs .* not installed/, "stopped: needs npm install"],
        [/is not a valid project name/, "stopped: invalid project name"],
        [/has no offline value/, "stopped: lookup needs --lookup"],
        [/no program in/, "stopped: no program"],
    ];
    for (const [re, kind] of rules) if (re.test(line)) return { kind, detail: line };
    return { kind: "failed", detail: line || stderr.slice(-300) };
}

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const env = { ...process.env };
        for (const k of Object.keys(env)) if (k.startsWith("AWS_")) delete env[k];
        const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

async function measure(root: string, nodeModules: string | undefined, fillConfig: boolean): Promise<Outcome[]> {
    return mapBounded(programs(root), 2, async (dir) => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-measure-"));
        fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
        if (nodeModules) fs.symlinkSync(path.resolve(nodeModules), path.join(copy, "node_modules"), "dir");
        const hasStackFile = fs.existsSync(path.join(copy, "Pulumi.dev.yaml"));
        const args = ["preview", copy, "--stack", "dev", "--json"];
        if (!hasStackFile)
            args.push("--allow-missing-stack-file", "--config", "aws:region=us-west-2", "--config", "aws-native:region=us-west-2");
        const started = Date.now();
        let r = await run(args, copy);
        let filled = 0;
        for (; fillConfig && filled < 8; filled++) {
            const missing = /missing required configuration '([^']+)'/.exec(r.stderr)?.[1];
            // A placeholder of the wrong kind: the program says which kind it wanted.
            const typed = /Configuration '([^']+)' value 'preview' is not a valid (number|JSON object|boolean)/.exec(r.stderr);
            if (missing) args.push("--config", `${missing}=preview`);
            else if (typed) args.push("--config", `${typed[1]}=${typed[2] === "number" ? "2" : typed[2] === "boolean" ? "true" : "{}"}`);
            else break;
            r = await run(args, copy);
        }
        fs.rmSync(copy, { recursive: true, force: true });
        const { kind, detail } = classify(r.code, r.stdout, r.stderr);
        const note = filled > 0 ? ` (after ${filled} --config)` : "";
        return {
            program: path.relative(root, dir),
            code: r.code,
            kind,
            detail: detail.split(copy).join("<dir>") + note,
            seconds: (Date.now() - started) / 1000,
        };
    });
}

async function main(): Promise<void> {
    const [root, ...flags] = process.argv.slice(2);
    if (!root) throw new Error("usage: measure-programs.ts <programs-dir> [--node-modules DIR] [--fill-config]");
    const nm = flags.includes("--node-modules") ? flags[flags.indexOf("--node-modules") + 1] : undefined;
    const outcomes = await measure(root, nm, flags.includes("--fill-config"));
    for (const o of outcomes) console.log(`${o.program} | exit ${o.code} | ${o.kind} | ${o.seconds.toFixed(1)}s | ${o.detail}`);
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
    console.log(`\n${outcomes.length} programs: ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}`);
}

main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
