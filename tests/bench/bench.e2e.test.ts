/**
 * Keeps `npm run bench` from rotting: each section that starts processes runs once at tiny N, in its own test
 * (the pack section through the command itself; scanning runs in-process in options.test.ts, the corpus here). Never asserts a time — figures from a shared test machine mean nothing.
 * The awsguard comparison runs when bench/awsguard-pack is installed (the bench installs it on demand; tests never do).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { awsguardDir, awsguardInstalled } from "../../bench/awsguard";
import { parseOptions } from "../../bench/options";
import { corpusRows } from "../../bench/corpus-bench";
import { previewRows } from "../../bench/preview-bench";
import { remediatorRows } from "../../bench/remediator-bench";
import { remediatorCycleRows } from "../../bench/remediator-cycle-bench";
import { formatTable, type Results, type Row } from "../../bench/report";
import { ensureBuilt } from "../build";

const REPO_ROOT = path.resolve(__dirname, "../..");
const options = parseOptions(["--quick", "--no-install"], { ROOTGUARD_BENCH_N: "8" });

function assertFigures(rows: Row[]): void {
    assert.ok(rows.length > 0);
    for (const r of rows) {
        assert.ok(Number.isFinite(r.value) && r.value > 0, `${r.id} value`);
        assert.ok(Number.isFinite(r.baseline.value) && r.baseline.value > 0, `${r.id} baseline`);
        assert.ok(r.baseline.name.length > 0);
        assert.ok(Math.abs(r.ratio - r.value / r.baseline.value) < 1e-9, `${r.id} ratio`);
    }
}

describe("bench: every section at tiny N", function () {
    this.timeout(300_000);
    before(() => ensureBuilt());

    it("the command, on the pack section: start-up and Analyze beside the trivial pack (and awsguard when installed), table and results file", async () => {
        const installed = awsguardInstalled(awsguardDir(REPO_ROOT));
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-bench-")), "results.json");
        const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
            execFile(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", "bench/run.ts", "--quick", "--no-install", "--only", "pack", "--out", out],
                { cwd: REPO_ROOT, env: { ...process.env, ROOTGUARD_BENCH_N: "8" }, maxBuffer: 16 * 1024 * 1024 },
                (err, so, se) => (err ? reject(new Error(`bench failed: ${err.message}\n${se}`)) : resolve({ stdout: so, stderr: se })),
            );
        });
        const results: Results = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.deepEqual([results.meta.quick, results.meta.resources, results.meta.starts], [true, 8, 1]);
        assert.equal(results.meta.node, process.version);
        assertFigures(results.rows);
        assert.deepEqual(
            results.rows.map((r) => r.id),
            ["pack.startup", ...(installed ? ["pack.analyze.vs-awsguard"] : []), "pack.analyze.vs-trivial", "pack.analyze-stack"],
        );
        assert.deepEqual(
            results.skipped.map((s) => s.id),
            installed ? [] : ["pack.analyze.vs-awsguard"],
        );
        assert.match(stdout, /^figure\s+value\s+baseline\s+ratio\s+target/);
        for (const r of results.rows) assert.ok(stdout.includes(r.figure), r.figure);
        for (const s of results.skipped) assert.ok(stdout.includes(`skipped ${s.id}: ${s.reason}`), s.id);
        assert.match(stderr, /bench: pack start-up…/);
        assert.doesNotMatch(stderr, /installing/, "--no-install never installs");
    });

    it("preview: the guardrail stack and the scale rows through the built CLI, each run a fresh process (quick runs skip the examples)", async () => {
        const { rows, skipped } = await previewRows(options);
        assertFigures(rows);
        // Peak memory is sampled from /proc, so its rows exist on Linux only.
        const linux = process.platform === "linux";
        assert.deepEqual(
            rows.map((r) => r.id),
            [
                "preview.guardrail-stack",
                "preview.scale.quick",
                ...(linux ? ["preview.scale.memory"] : []),
                "analyze.scale.time",
                ...(linux ? ["analyze.scale.memory"] : []),
            ],
        );
        assert.match(rows[0].note ?? "", /^\d+ resources, 0 mandatory/);
        // A quick run's times are whole runs at tiny N: no target to meet or miss.
        for (const id of ["preview.scale.quick", "analyze.scale.time"]) assert.equal(rows.find((r) => r.id === id)?.target, undefined, id);
        assert.deepEqual(
            skipped.map((s) => s.id),
            ["preview.others"],
        );
    });

    it("remediator: the deployed bundle's size and cold require", async () => {
        const { rows, skipped } = await remediatorRows(options);
        assertFigures(rows);
        assert.deepEqual(
            rows.map((r) => r.id),
            ["remediator.bundle-size", "remediator.cold-require"],
        );
        assert.deepEqual(skipped, []);
    });

    it("remediator cycle: the simulated organization's rate and cost rows", async () => {
        const rows = await remediatorCycleRows(options);
        const ids = rows.map((r) => r.id);
        for (const id of ["remediator.cycle.rate", "remediator.cycle.cost-10x"]) assert.ok(ids.includes(id), id);
        for (const r of rows) assert.ok(Number.isFinite(r.value) && r.value > 0, `${r.id} value`);
    });

    it("credential corpus: the pack over the protocol beside each ported scanner, as rows and one comparison table", async () => {
        const { rows, table } = await corpusRows(REPO_ROOT);
        const ids = rows.map((r) => r.id);
        for (const id of ["corpus.recall", "corpus.precision"]) assert.ok(ids.includes(id), id);
        const text = formatTable({ meta: {} as Results["meta"], rows, skipped: [], tables: [table] });
        assert.match(text, /^Credential corpus: \d+ samples/m);
        for (const name of ["rootguard (pack, engine protocol)", "gitleaks", "detect-secrets", "git-secrets", "Nosey Parker"])
            assert.match(text, new RegExp(`^${name.replace(/[()]/g, "\\$&")}\\s`, "m"), name);
    });
});
