/**
 * The built `rootguard doctor` as a user runs it, in a child process against the loopback fake AWS: exit codes,
 * --json on stdout, one-line usage errors, and a process that ends by its deadline when AWS never answers.
 */
import { strict as assert } from "node:assert";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt } from "../build";
import { startFakeAws, type FakeAws } from "../fixtures/fake-aws/server";
import { freshStandaloneWorld, KEYS, organizationWorld, type FakeWorld } from "../fixtures/fake-aws/world";
import { cleanEnv, runCli, type CliResult } from "./preview-helpers";

/** A stack without a stack file: Pulumi.yaml's defaults and --config (the repository has two stack files). */
const DEFAULTS_ONLY = ["--stack", "dev", "--allow-missing-stack-file"];

async function cli(world: FakeWorld, key: string, args: string[]): Promise<CliResult & { ms: number }> {
    const fake: FakeAws = await startFakeAws(world);
    try {
        const env = cleanEnv({
            ...fake.env(key, { AWS_REGION: "us-east-1" }),
            AWS_CONFIG_FILE: path.join(os.tmpdir(), "rootguard-doctor-no-config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "rootguard-doctor-no-credentials"),
        });
        const started = Date.now();
        const result = await runCli(["doctor", ...args], { env });
        return { ...result, ms: Date.now() - started };
    } finally {
        await fake.close();
    }
}

describe("rootguard doctor (built CLI)", function () {
    this.timeout(60_000);
    before(() => ensureBuilt());

    it("a prepared organization: --json on stdout, exit 0", async () => {
        const r = await cli(organizationWorld(true), KEYS.management, ["--stack", "example-organization", "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(report), [
            "version",
            "stack",
            "stackFile",
            "mode",
            "region",
            "caller",
            "checks",
            "notNeeded",
            "notes",
            "stopped",
            "summary",
        ]);
        assert.deepEqual(report.summary, { pass: 10, fail: 0, cannotCheck: 0 });
        assert.equal(r.stderr, "");
    });

    it("a fresh account and a stack without the required createRecorder: one line per check, the key's fix among them, exit 1", async () => {
        const r = await cli(freshStandaloneWorld(), KEYS.standalone, DEFAULTS_ONLY);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stderr, "");
        assert.equal(r.stdout.split("\n").filter((l) => /^(pass|fail|cannot-check) /.test(l)).length, 6);
        assert.match(
            r.stdout,
            /^fail +config-recorder +rootguard:createRecorder is not set, so pulumi up will refuse to run; .* — fix: pulumi config set rootguard:createRecorder true$/m,
        );
    });

    it("AWS never answers: the process ends by its deadline with exit 2", async () => {
        const world = freshStandaloneWorld();
        world.hang = ["sts"];
        const r = await cli(world, KEYS.standalone, [...DEFAULTS_ONLY, "--timeout", "2"]);
        assert.equal(r.code, 2);
        assert.match(r.stdout, /did not finish within the 2 s deadline/);
        assert.ok(r.ms < 2_000 + 8_000, `exited after ${r.ms} ms`);
    });

    it("usage and config errors: one line on stderr, exit 2", async () => {
        const bad = await cli(freshStandaloneWorld(), KEYS.standalone, [...DEFAULTS_ONLY, "--timeout", "soon"]);
        assert.equal(bad.code, 2);
        assert.equal(bad.stderr, 'rootguard: --timeout must be a number of seconds from 1 to 600 (got "soon")\n');
        const config = await cli(freshStandaloneWorld(), KEYS.standalone, [...DEFAULTS_ONLY, "--config", "remediation=shred"]);
        assert.equal(config.code, 2);
        assert.match(
            config.stderr,
            /^rootguard: rootguard:remediation must be one of notify, delete-unused, delete \(got "shred"\) \(stack dev\)\n$/,
        );
        const several = await cli(freshStandaloneWorld(), KEYS.standalone, []);
        assert.equal(several.code, 2);
        assert.equal(
            several.stderr,
            "rootguard: . has 2 stacks: example-account (Pulumi.example-account.yaml), example-organization (Pulumi.example-organization.yaml); choose one with --stack NAME\n",
        );
        const unfiled = await cli(freshStandaloneWorld(), KEYS.standalone, ["--stack", "dev"]);
        assert.equal(unfiled.code, 2);
        assert.match(unfiled.stderr, /^rootguard: .*--allow-missing-stack-file.*\n$/);
        const nowhere = await cli(freshStandaloneWorld(), KEYS.standalone, [os.tmpdir()]);
        assert.equal(nowhere.code, 2);
        assert.match(nowhere.stderr, /^rootguard: no Pulumi\.yaml in /);
    });
});
