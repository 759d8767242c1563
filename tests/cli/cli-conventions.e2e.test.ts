/**
 * The built CLI's conventions, as a user meets them: -v, exit codes in --help, parser errors that read like
 * every other error, positional `analyze FILE`, a quiet exit when the reader closes the pipe, one-line errors
 * for files that are missing or binary and packs that do not exist, and --timeout on a program that never ends.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt } from "../build";
import { REPO_ROOT, cleanEnv, fixture, runCli, runCommand, type CliResult } from "./preview-helpers";

const CLI = path.join(REPO_ROOT, "dist/src/cli/main.js");
const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version as string;

/** Runs the CLI with its stdout closed from the start, as `| head -0` would leave it. */
function runWithClosedStdout(args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.destroy();
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout: "", stderr }));
    });
}

describe("rootguard CLI conventions", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => {
        ensureBuilt();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-conventions-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("-v and --version print the version", async () => {
        for (const flag of ["-v", "--version"]) {
            const r = await runCli([flag]);
            assert.equal(r.code, 0);
            assert.equal(r.stdout, `${version}\n`);
        }
    });

    it("--help of every command lists the exit codes", async () => {
        for (const args of [["--help"], ["preview", "--help"], ["analyze", "--help"], ["compliance", "--help"], ["doctor", "--help"]]) {
            const r = await runCli(args);
            assert.equal(r.code, 0, args.join(" "));
            assert.match(
                r.stdout,
                /Exit codes:\n {2}0 {2}done, nothing blocks\n {2}1 {2}a blocking finding[^]*\n {2}2 {2}an error/,
                args.join(" "),
            );
        }
    });

    it("parser errors are one line with the rootguard: prefix, exit 2", async () => {
        for (const args of [
            ["--frobnicate"],
            ["preview", "--frobnicate"],
            ["deploy"],
            ["preview", "--timeout", "soon"],
            ["compliance", "--json", "--html", "x"],
        ]) {
            const r = await runCli(args);
            assert.equal(r.code, 2, args.join(" "));
            assert.match(r.stderr, /^rootguard: [^\n]+\n$/, args.join(" "));
            assert.doesNotMatch(r.stderr, /error:/);
        }
    });

    it("analyze takes the export as an argument, as --file, or both when they agree", async () => {
        const file = fixture("exports/leaky-stack.json");
        for (const args of [
            ["analyze", file],
            ["analyze", "--file", file],
            ["analyze", file, "--file", file],
        ]) {
            const r = await runCli([...args, "--json"]);
            assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
            assert.equal(JSON.parse(r.stdout).stack, "prod");
        }
        const none = await runCli(["analyze"]);
        assert.equal(none.code, 2);
        assert.match(none.stderr, /^rootguard: analyze needs a stack export: rootguard analyze EXPORT\.json[^\n]*\n$/);
        const two = await runCli(["analyze", file, "--file", fixture("all-advisory.json")]);
        assert.equal(two.code, 2);
        assert.match(two.stderr, /^rootguard: analyze takes one stack export/);
    });

    it("exits quietly with the run's own code when the reader closes stdout", async () => {
        const clean = await runWithClosedStdout(["preview", fixture("clean"), "--json"]);
        assert.equal(clean.code, 0, clean.stderr);
        assert.equal(clean.stderr, "");
        const leaky = await runWithClosedStdout(["analyze", fixture("exports/leaky-stack.json")]);
        assert.equal(leaky.code, 1, leaky.stderr);
        assert.equal(leaky.stderr, "");
        const help = await runWithClosedStdout(["--help"]);
        assert.equal(help.code, 0, help.stderr);
        assert.equal(help.stderr, "");
    });

    it("analyze refuses what is not a version 3 export with resources, in one line", async () => {
        const cases: [string, string, RegExp][] = [
            ["v2.json", '{"version":2,"deployment":{"resources":[]}}', /is a stack export of version 2; rootguard reads version 3/],
            [
                "nothing.json",
                '{"version":3,"deployment":{}}',
                /holds no resources \(an empty or destroyed stack\): there is nothing to analyze/,
            ],
            ["no-deployment.json", '{"version":3}', /has no "deployment" object/],
            ["other.json", '{"hello":"world"}', /is not a stack export \(no "version" and "deployment"\)/],
            ["broken.json", '{"version": 3,\n "deployment": {"resources": [}\n}', /is not valid JSON \(line 2, column 31\)/],
        ];
        for (const [name, text, expected] of cases) {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            const r = await runCli(["analyze", file]);
            assert.equal(r.code, 2, name);
            assert.match(r.stderr, /^rootguard: [^\n]+\n$/, name);
            assert.match(r.stderr, expected, name);
        }
    });

    it("missing and binary files get one specific line, and no byte of the file reaches the terminal", async () => {
        const missing = await runCli(["analyze", path.join(dir, "nope.json")]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^rootguard: cannot read stack export .*nope\.json: no such file\n$/);
        const binary = path.join(dir, "binary.json");
        fs.writeFileSync(binary, Buffer.from([0x1b, 0x5d, 0x30, 0x3b, 0x70, 0x77, 0x6e, 0x07, 0x00, 0xff, 0xfe, 0x7b]));
        for (const args of [
            ["analyze", binary],
            ["compliance", "--from", binary],
            ["preview", fixture("clean"), "--policy-pack-config", binary],
        ]) {
            const r = await runCli(args);
            assert.equal(r.code, 2, args.join(" "));
            assert.match(r.stderr, /^rootguard: [^\n]*binary\.json is not a text file \(it holds binary data\)\n$/, args.join(" "));
            // eslint-disable-next-line no-control-regex
            assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/, "no control bytes echoed");
        }
        const notJson = path.join(dir, "escape.json");
        fs.writeFileSync(notJson, "\u001b]0;pwned\u0007 not json");
        const r = await runCli(["compliance", "--from", notJson]);
        assert.equal(r.code, 2);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f]/, "no control bytes echoed");
    });

    it("a --policy-pack that does not exist is named as such", async () => {
        const r = await runCli(["analyze", fixture("exports/leaky-stack.json"), "--policy-pack", "/nonexistent/pack"]);
        assert.equal(r.code, 2);
        assert.equal(r.stderr, "rootguard: policy pack /nonexistent/pack: no such file\n");
        const file = await runCli(["analyze", fixture("exports/leaky-stack.json"), "--policy-pack", fixture("all-advisory.json")]);
        assert.equal(file.code, 2);
        assert.match(file.stderr, /^rootguard: policy pack .*all-advisory\.json is a file: pass the pack's folder/);
    });

    it("npm start --silent -- --json pipes one JSON document (npm's banner would precede it without --silent)", async () => {
        const r = await runCommand(process.platform === "win32" ? "npm.cmd" : "npm", ["start", "--silent", "--", "--json"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).summary.mandatory, 0);
    });

    it("--timeout stops a program that never finishes, with one line, and leaves nothing running", async () => {
        const started = Date.now();
        const r = await runCli(["preview", fixture("hangs"), "--timeout", "4"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /rootguard: stopped after 4 s \(--timeout\) while running the program: [^\n]+\n$/);
        assert.ok(Date.now() - started < 60_000, "the CLI exited soon after the deadline");
        if (process.platform === "linux") {
            // The program runner works in the program's folder: nothing may be left running there.
            const left = fs.readdirSync("/proc").filter((pid) => {
                try {
                    return /^\d+$/.test(pid) && fs.readlinkSync(`/proc/${pid}/cwd`) === fixture("hangs");
                } catch {
                    return false;
                }
            });
            assert.deepEqual(left, [], "no program runner left behind");
        }
    });
});
