import { strict as assert } from "node:assert";
import { FIXTURES, JSON_KEYS, assertNoSecrets, cleanEnv, fixture, runCli } from "./preview-helpers";
import { ensureBuilt } from "../build";

/* End-to-end: `rootguard preview` on fixture programs, evaluated by rootguard's real policy pack. */
describe("rootguard preview (end to end, real pack)", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("passes a clean program: exit 0 and exactly the documented JSON shape", async () => {
        const r = await runCli(["preview", fixture("clean"), "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(report), JSON_KEYS);
        assert.equal(report.stack, "test");
        assert.deepEqual(Object.keys(report.policyPack), ["name", "version"]);
        assert.equal(report.policyPack.name, "rootguard");
        assert.deepEqual(report.resources, [
            {
                urn: "urn:pulumi:test::clean-fixture::pulumi:pulumi:Stack::clean-fixture-test",
                type: "pulumi:pulumi:Stack",
                name: "clean-fixture-test",
            },
            {
                urn: "urn:pulumi:test::clean-fixture::pulumi:providers:aws::default_7_48_0",
                type: "pulumi:providers:aws",
                name: "default_7_48_0",
            },
            { urn: "urn:pulumi:test::clean-fixture::aws:iam/role:Role::reader", type: "aws:iam/role:Role", name: "reader" },
            { urn: "urn:pulumi:test::clean-fixture::aws:s3/bucket:Bucket::data", type: "aws:s3/bucket:Bucket", name: "data" },
        ]);
        assert.deepEqual(
            report.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory"),
            [],
        );
        assert.deepEqual(Object.keys(report.summary), ["resources", "mandatory", "advisory"]);
        assert.equal(report.summary.resources, 4);
        assert.equal(report.summary.mandatory, 0);
    });

    it("blocks the leaky program: exit 1, one violation per leak, each with the documented keys", async () => {
        const r = await runCli(["preview", fixture("leaky"), "--json"]);
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        const found = report.violations.map((v: { policy: string; urn?: string }) => `${v.policy} ${v.urn}`).sort();
        assert.deepEqual(found, [
            "aws-provider-static-credentials urn:pulumi:test::leaky-fixture::pulumi:providers:aws::default_7_48_0",
            "no-hardcoded-aws-credentials urn:pulumi:test::leaky-fixture::aws:lambda/function:Function::uploader",
            "restrict-assume-root urn:pulumi:test::leaky-fixture::aws:iam/policy:Policy::break-glass",
        ]);
        for (const v of report.violations) {
            assert.deepEqual(Object.keys(v), ["policy", "enforcementLevel", "urn", "message"]);
            assert.equal(v.enforcementLevel, "mandatory");
        }
        assert.deepEqual(report.summary, { resources: 5, mandatory: 3, advisory: 0 });
        assertNoSecrets(r);
        assert.match(r.stdout, /AKIA\*\*\*\*2EPF/, "the provider's key is shown masked");
    });

    it("prints the plan and violations grouped by pack, level, policy and resource", async () => {
        const r = await runCli(["preview", fixture("leaky")]);
        assert.equal(r.code, 1, r.stderr);
        const out = r.stdout;
        assert.match(out, /^Previewing \(offline, mocked\) stack test of project leaky-fixture$/m);
        assert.match(out, /^ {4}pulumi:pulumi:Stack +leaky-fixture-test +create$/m);
        assert.match(out, /^ {4}├─ aws:iam\/policy:Policy +break-glass +create$/m);
        assert.match(out, /^ {4}└─ aws:lambda\/function:Function +uploader +create$/m);
        assert.doesNotMatch(out, /default_7_48_0 +create/, "default providers are hidden from the plan, as in pulumi preview");
        assert.match(out, /^Policies:\n {4}❌ rootguard@v0\.1\.0 \(local: .+\)$/m);
        assert.match(out, /^ {8}- \[mandatory\] {2}aws-provider-static-credentials {2}\(pulumi:providers:aws: default_7_48_0\)$/m);
        assert.match(out, /^ {8}- \[mandatory\] {2}no-hardcoded-aws-credentials {2}\(aws:lambda\/function:Function: uploader\)$/m);
        assert.match(out, /^ {8}- \[mandatory\] {2}restrict-assume-root {2}\(aws:iam\/policy:Policy: break-glass\)$/m);
        assert.match(out, /^ {10}Resource 'break-glass' \(aws:iam\/policy:Policy\) allows sts:AssumeRoot/m);
        assert.match(out, /^Resources:\n {4}\+ 5 to create$/m);
        assert.match(out, /^Verdict: BLOCKED \(3 mandatory, 0 advisory\)$/m);
        assert.ok(!out.includes("\u001b["), "no colour when stdout is not a terminal");
        assertNoSecrets(r);
    });

    it("evaluates aws-native programs against the synthesized aws-native default provider", async () => {
        const r = await runCli(["preview", fixture("aws-native"), "--json"]);
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.ok(
            report.resources.some(
                (x: { urn: string }) => x.urn === "urn:pulumi:test::native-fixture::pulumi:providers:aws-native::default_1_79_0",
            ),
        );
        const found = report.violations.map((v: { policy: string; urn?: string }) => `${v.policy} ${v.urn}`).sort();
        assert.deepEqual(found, [
            "aws-provider-static-credentials urn:pulumi:test::native-fixture::pulumi:providers:aws-native::default_1_79_0",
            "restrict-assume-root urn:pulumi:test::native-fixture::aws-native:iam:Role::operator",
        ]);
        assertNoSecrets(r);
    });

    it("treats secure: config as a secret it cannot read: keys still flagged, nothing decrypted or printed", async () => {
        const r = await runCli(["preview", fixture("secure"), "--json"]);
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.equal(report.violations.length, 1);
        assert.equal(report.violations[0].policy, "aws-provider-static-credentials");
        assert.match(report.violations[0].message, /value not readable here/);
        assert.doesNotMatch(r.stdout + r.stderr, /v1:QUFB|v1:QkJC|v1:Q0ND/, "ciphertext never echoed");
    });

    it("stops with exit 2 and one line naming a config key the program requires", async () => {
        const r = await runCli(["preview", fixture("needs-config")]);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.equal(
            r.stderr,
            "rootguard: missing required configuration 'needs-config:bucketName': add it to Pulumi.test.yaml or pass --config bucketName=VALUE\n",
        );
    });

    it("stops before running the program when Pulumi.yaml declares a key with no default and the stack lacks it", async () => {
        const r = await runCli([
            "preview",
            fixture("needs-config"),
            "--stack",
            "other",
            "--allow-missing-stack-file",
            "--config",
            "bucketName=b",
            "--config",
            "aws:region=eu-west-1",
        ]);
        assert.equal(r.code, 2);
        assert.equal(
            r.stderr,
            "rootguard: missing required configuration 'needs-config:owner': add it to Pulumi.other.yaml or pass --config owner=VALUE\n",
        );
    });

    it("accepts --config overrides on top of the stack file", async () => {
        const r = await runCli(["preview", fixture("needs-config"), "--stack", "test", "--config", "bucketName=audit-logs", "--json"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).summary.mandatory, 0);
    });

    it("reports a program exception as one line with its message and first frame in the program", async () => {
        const r = await runCli(["preview", fixture("throws")], { env: cleanEnv({ AWS_REGION: "eu-west-1" }) });
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.equal(r.stderr, "rootguard: program failed: no bucket naming rule for environment 'staging' (at index.ts:4:31)\n");
    });

    it("exits 2 with one line when the policy pack cannot start", async () => {
        const r = await runCli(["preview", fixture("clean"), "--policy-pack", FIXTURES]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^rootguard: policy pack at .+ failed to start: .+\n$/);
    });

    it("follows Pulumi's stack rules: no guessing, no missing stack file, no path outside the project", async () => {
        const typo = await runCli(["preview", "examples/leaky-app", "--stack", "dve"]);
        assert.equal(typo.code, 2);
        assert.equal(
            typo.stderr,
            "rootguard: stack 'dve' has no Pulumi.dve.yaml in examples/leaky-app; stacks here: dev (Pulumi.dev.yaml). " +
                "To preview 'dve' from Pulumi.yaml defaults and --config values alone, add --allow-missing-stack-file\n",
        );
        const several = await runCli(["preview", "."]);
        assert.equal(several.code, 2);
        assert.equal(
            several.stderr,
            "rootguard: . has 2 stacks: example-account (Pulumi.example-account.yaml), example-organization (Pulumi.example-organization.yaml); choose one with --stack NAME\n",
        );
        const escape = await runCli(["preview", "examples/leaky-app", "--stack", "../../../../etc/passwd"]);
        assert.equal(escape.code, 2);
        assert.equal(escape.stderr, "rootguard: --stack: could not parse stack name '../../../../etc/passwd'\n");
        assert.equal(escape.stdout + typo.stdout + several.stdout, "");
    });

    it("exits 2 on usage errors", async () => {
        const missingDir = await runCli(["preview", fixture("does-not-exist")]);
        assert.equal(missingDir.code, 2);
        assert.match(missingDir.stderr, /^rootguard: .*does-not-exist is not a directory\n$/);
        const badConfig = await runCli(["preview", fixture("clean"), "--config", "novalue"]);
        assert.equal(badConfig.code, 2);
        assert.equal(badConfig.stderr, "rootguard: --config expects key=value, got 'novalue'\n");
        const unknownOption = await runCli(["preview", "--frobnicate"]);
        assert.equal(unknownOption.code, 2);
    });

    it("applies --policy-pack-config like pulumi: everything advisory lets the leaky program through", async () => {
        const r = await runCli(["preview", fixture("leaky"), "--json", "--policy-pack-config", fixture("all-advisory.json")]);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(report.summary, { resources: 5, mandatory: 0, advisory: 3 });
        assertNoSecrets(r);
    });

    it("rejects a policy pack config naming a policy the pack does not have", async () => {
        const r = await runCli(["preview", fixture("clean"), "--policy-pack-config", fixture("unknown-policy.json")]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^rootguard: policy pack config rejected: .*no-such-policy.*\n$/);
    });
});
