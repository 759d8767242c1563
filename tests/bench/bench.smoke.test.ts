/**
 * Keeps `npm run bench` from rotting: runs its tiny-N mode end to end and checks the shape of what it
 * reports. Never asserts a time — figures from a shared test machine mean nothing.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseOptions } from "../../bench/options";
import type { Results } from "../../bench/report";
import { generateResources } from "../../bench/resources";

const REPO_ROOT = path.resolve(__dirname, "../..");

describe("bench: options and generated resources", () => {
    it("ROOTGUARD_BENCH_N selects the tiny-N mode with that many resources; --quick alone uses 20", () => {
        assert.deepEqual(
            [parseOptions([], { ROOTGUARD_BENCH_N: "5" }).quick, parseOptions([], { ROOTGUARD_BENCH_N: "5" }).resources],
            [true, 5],
        );
        assert.equal(parseOptions(["--quick"], {}).resources, 20);
        const full = parseOptions([], {});
        assert.equal(full.quick, false);
        assert.equal(full.resources, 2000);
        assert.ok(full.starts >= 5);
        assert.equal(full.templateBytes, 10 * 1024 * 1024);
        assert.equal(full.envEntries, 100_000);
        assert.equal(full.nestLevels, 200);
        assert.throws(() => parseOptions([], { ROOTGUARD_BENCH_N: "lots" }), /ROOTGUARD_BENCH_N must be a positive integer/);
        assert.throws(() => parseOptions(["--fast"], {}), /unknown option --fast/);
        assert.deepEqual([...parseOptions(["--only", "pack,scan"], {}).sections], ["pack", "scan"]);
        assert.throws(() => parseOptions(["--only", "packs"], {}), /--only takes pack, scan, preview, remediator; not packs/);
    });

    it("generates the same realistic resources every time, in every shape the README names", () => {
        const a = generateResources(300);
        assert.deepEqual(a, generateResources(300));
        const types = new Set(a.map((r) => r.type));
        for (const t of [
            "aws:lambda/function:Function",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ec2/instance:Instance",
            "aws:s3/bucket:Bucket",
        ]) {
            assert.ok(types.has(t), t);
        }
        assert.ok([...types].some((t) => t.startsWith("aws:iam/")));
        for (const r of a) {
            if (r.type === "aws:ecs/taskDefinition:TaskDefinition")
                assert.ok(Array.isArray(JSON.parse(r.properties.containerDefinitions as string)));
            if (r.type === "aws:ec2/instance:Instance")
                assert.match(Buffer.from(r.properties.userData as string, "base64").toString(), /^#!\/bin\/bash/);
            if (r.type.startsWith("aws:iam/")) assert.equal(JSON.parse(r.properties.policy as string).Version, "2012-10-17");
            assert.equal(r.provider?.type, "pulumi:providers:aws");
        }
        const text = (r: (typeof a)[number]) =>
            r.type === "aws:ec2/instance:Instance"
                ? Buffer.from(r.properties.userData as string, "base64").toString()
                : JSON.stringify(r.properties);
        const leaky = a.filter((r) => /AKIA[A-Z2-7]{16}/.test(text(r)));
        assert.deepEqual(
            leaky.map((r) => r.type),
            ["aws:lambda/function:Function", "aws:ecs/taskDefinition:TaskDefinition", "aws:ec2/instance:Instance"],
        );
    });
});

describe("bench: tiny-N smoke run", function () {
    this.timeout(300_000);
    let results: Results;
    let stdout: string;

    before(async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-bench-smoke-")), "results.json");
        stdout = await new Promise<string>((resolve, reject) => {
            execFile(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", "bench/run.ts", "--quick", "--out", out],
                { cwd: REPO_ROOT, env: { ...process.env, ROOTGUARD_BENCH_N: "8" }, maxBuffer: 16 * 1024 * 1024 },
                (err, so, se) => (err ? reject(new Error(`bench --quick failed: ${err.message}\n${se}`)) : resolve(so)),
            );
        });
        results = JSON.parse(fs.readFileSync(out, "utf8"));
    });

    it("records the run's conditions", () => {
        assert.equal(results.meta.quick, true);
        assert.equal(results.meta.resources, 8);
        assert.match(results.meta.node, /^v\d+/);
    });

    it("every figure has a positive value beside a positive same-run baseline, and the ratio between them", () => {
        assert.ok(results.rows.length > 0);
        for (const r of results.rows) {
            assert.ok(Number.isFinite(r.value) && r.value > 0, `${r.id} value`);
            assert.ok(Number.isFinite(r.baseline.value) && r.baseline.value > 0, `${r.id} baseline`);
            assert.ok(r.baseline.name.length > 0);
            assert.ok(Math.abs(r.ratio - r.value / r.baseline.value) < 1e-9, `${r.id} ratio`);
        }
    });

    it("measures every section: the pack, scanning, the offline preview and the remediator", () => {
        const ids = new Set(results.rows.map((r) => r.id));
        // The quick run previews only the guardrail stack, by design; nothing else may be skipped.
        assert.deepEqual(
            results.skipped.map((x) => x.id),
            ["preview.others"],
        );
        for (const id of ["scan.template", "scan.env-map", "scan.nest"]) assert.ok(ids.has(id), id);
        for (const s of results.rows.filter((r) => r.section === "scan")) assert.equal(s.growth?.length, 3);
        for (const id of ["pack.startup", "pack.analyze.vs-awsguard", "pack.analyze.vs-trivial", "pack.analyze-stack"])
            assert.ok(ids.has(id), id);
        for (const id of ["remediator.bundle-size", "remediator.cold-require", "remediator.cycle.rate", "remediator.cycle.cost-10x"])
            assert.ok(ids.has(id), id);
        for (const id of ["corpus.recall", "corpus.precision"]) assert.ok(ids.has(id), id);
        assert.ok(ids.has("preview.guardrail-stack"), "preview.guardrail-stack");
    });

    it("prints the table with every figure", () => {
        assert.match(stdout, /^figure\s+value\s+baseline\s+ratio\s+target/);
        for (const r of results.rows) assert.ok(stdout.includes(r.figure), r.figure);
        for (const s of results.skipped) assert.ok(stdout.includes(`skipped ${s.id}`), s.id);
        // The corpus comparison: rootguard beside each ported scanner, one line each.
        assert.match(stdout, /^Credential corpus: \d+ samples/m);
        for (const name of ["rootguard (pack, engine protocol)", "gitleaks", "detect-secrets", "git-secrets", "Nosey Parker"])
            assert.match(stdout, new RegExp(`^${name.replace(/[()]/g, "\\$&")}\\s`, "m"), name);
    });
});
