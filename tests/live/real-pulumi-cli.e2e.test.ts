/**
 * Opt-in: the real Pulumi CLI (and, for the guardrail stack, a real AWS account). Nothing here runs unless
 * ROOTGUARD_LIVE=1 and `pulumi` is on PATH; ROOTGUARD_LIVE_AWS=1 adds the runs that need AWS credentials.
 * Uses a throwaway local backend, so no Pulumi Cloud login is needed and nothing is deployed.
 */
import { strict as assert } from "node:assert";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const LIVE = process.env.ROOTGUARD_LIVE === "1";
const LIVE_AWS = LIVE && process.env.ROOTGUARD_LIVE_AWS === "1";

function pulumiAvailable(): boolean {
    return spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0;
}

describe("live: the real Pulumi CLI with this policy pack (opt-in)", function () {
    this.timeout(15 * 60_000);
    let backend: string;
    let env: NodeJS.ProcessEnv;

    before(function () {
        if (!LIVE || !pulumiAvailable()) this.skip();
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-live-"));
        env = { ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_SKIP_UPDATE_CHECK: "true" };
    });

    after(() => {
        if (backend) fs.rmSync(backend, { recursive: true, force: true });
    });

    function pulumi(cwd: string, args: string[]): SpawnSyncReturns<string> {
        return spawnSync("pulumi", [...args, "--non-interactive"], { cwd, env, encoding: "utf8" });
    }

    function copyExample(name: string): string {
        const dir = fs.mkdtempSync(path.join(backend, `${name}-`));
        fs.cpSync(path.join(REPO, "examples", name), dir, { recursive: true });
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
        return dir;
    }

    it("blocks the leaky example: pulumi preview --policy-pack <repo> exits non-zero with the mandatory policies", () => {
        const dir = copyExample("leaky-app");
        assert.equal(pulumi(dir, ["stack", "select", "--create", "dev"]).status, 0);
        // The example's keys are fabricated: keep the provider from validating them against AWS.
        for (const key of ["skipCredentialsValidation", "skipRequestingAccountId", "skipMetadataApiCheck"]) {
            pulumi(dir, ["config", "set", `aws:${key}`, "true"]);
        }
        const run = pulumi(dir, ["preview", "--policy-pack", REPO]);
        const output = run.stdout + run.stderr;
        assert.notEqual(run.status, 0, output);
        for (const policy of ["no-hardcoded-aws-credentials", "aws-provider-static-credentials", "restrict-assume-root"]) {
            assert.match(output, new RegExp(policy));
        }
        assert.doesNotMatch(output, /AKIAPYCDYBK377OXTZQ6|S6xxMYHxq2B5kRP0r6UV1cZB3urJ1mKpWx/);
    });

    it("passes the guardrail stack with zero violations (needs AWS credentials)", function () {
        if (!LIVE_AWS) this.skip();
        const stack = `live-${Date.now()}`;
        assert.equal(pulumi(REPO, ["stack", "init", stack]).status, 0);
        try {
            pulumi(REPO, ["config", "set", "aws:region", process.env.AWS_REGION ?? "us-east-1", "--stack", stack]);
            const run = pulumi(REPO, ["preview", "--policy-pack", REPO, "--stack", stack]);
            assert.equal(run.status, 0, run.stdout + run.stderr);
        } finally {
            pulumi(REPO, ["stack", "rm", stack, "--yes", "--force"]);
        }
    });
});

describe("live: rootguard compliance against a real account (opt-in)", function () {
    this.timeout(5 * 60_000);

    it("reads the account's Config results as JSON", function () {
        if (!LIVE_AWS) this.skip();
        const run = spawnSync("node", [path.join(REPO, "dist", "src", "cli", "main.js"), "compliance", "--json"], {
            encoding: "utf8",
        });
        // 0 with a report, or 2 with one actionable line (e.g. the rule is not deployed in this account).
        assert.ok(run.status === 0 || run.status === 2, run.stderr);
        if (run.status === 0) assert.equal(JSON.parse(run.stdout).format, "rootguard-compliance");
        else assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    });
});
