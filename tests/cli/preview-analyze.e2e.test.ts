import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { JSON_KEYS, assertNoSecrets, fixture, runCli } from "./preview-helpers";
import { ensureBuilt } from "../build";

/* `rootguard analyze` on a saved `pulumi stack export` (deployment v3), through the same path as preview. */
describe("rootguard analyze (end to end, real pack)", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("evaluates a saved export: exit 1, stack from the URNs, pending deletions left out", async () => {
        const r = await runCli(["analyze", "--file", fixture("exports/leaky-stack.json"), "--json"]);
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(report), JSON_KEYS);
        assert.equal(report.stack, "prod");
        assert.ok(!report.resources.some((x: { name: string }) => x.name === "old-key"), "a resource pending deletion is not analyzed");
        assert.equal(report.resources.length, 5);
        const found = report.violations.map((v: { policy: string; urn?: string }) => `${v.policy} ${v.urn}`).sort();
        assert.deepEqual(found, [
            "aws-provider-static-credentials urn:pulumi:prod::leaky-fixture::pulumi:providers:aws::default_7_48_0",
            "no-hardcoded-aws-credentials urn:pulumi:prod::leaky-fixture::aws:lambda/function:Function::uploader",
            "restrict-assume-root urn:pulumi:prod::leaky-fixture::aws:iam/policy:Policy::break-glass",
        ]);
        assertNoSecrets(r);
    });

    it("prints the saved resources and the verdict as text", async () => {
        const r = await runCli(["analyze", "--file", fixture("exports/leaky-stack.json")]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stdout, /^Analyzing saved state of stack prod of project leaky-fixture$/m);
        assert.match(r.stdout, /^ {4}└─ aws:lambda\/function:Function +uploader +same$/m);
        assert.match(r.stdout, /^Verdict: BLOCKED \(3 mandatory, 0 advisory\)$/m);
        assertNoSecrets(r);
    });

    it("exits 2 with one line for a missing or malformed export", async () => {
        const missing = await runCli(["analyze", "--file", fixture("exports/nope.json")]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^rootguard: cannot read stack export .*nope\.json: no such file\n$/);
        const notExport = await runCli(["analyze", "--file", fixture("all-advisory.json")]);
        assert.equal(notExport.code, 2);
        assert.match(notExport.stderr, /^rootguard: .*all-advisory\.json is not a stack export/);
        const noFile = await runCli(["analyze"]);
        assert.equal(noFile.code, 2);
    });
});

/* Programs outside rootguard's tree: nothing to resolve @pulumi/* from but rootguard's installation. */
describe("rootguard preview of a program outside rootguard (no node_modules)", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => {
        ensureBuilt();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-preview-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function program(name: string, files: Record<string, string>): string {
        const root = path.join(dir, name);
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), text);
        }
        return root;
    }

    it("runs a TypeScript program in a subfolder named by main, with an explicit provider", async () => {
        const key = ["AKIA", "QZ7MNB4XKD2WRT5H"].join("");
        const secret = ["Tq9vLm2Xc", "8RwYp4KsNa7JdE1fGh", "3UzBo6Vi5OlQe+/Ws0"].join("");
        const root = program("explicit", {
            "Pulumi.yaml": "name: explicit\nruntime: nodejs\nmain: src/\n",
            "Pulumi.ci.yaml": "config:\n  aws:region: eu-north-1\n",
            "src/index.ts": [
                'import * as aws from "@pulumi/aws";',
                `const deployer = new aws.Provider("deployer", { region: "eu-north-1", accessKey: "${key}", secretKey: "${secret}" });`,
                'new aws.s3.Bucket("b", {}, { provider: deployer });',
                "",
            ].join("\n"),
        });
        const r = await runCli(["preview", root, "--json"]);
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.equal(report.stack, "ci", "the only stack file names the stack");
        assert.deepEqual(
            report.resources.map((x: { urn: string }) => x.urn),
            [
                "urn:pulumi:ci::explicit::pulumi:pulumi:Stack::explicit-ci",
                "urn:pulumi:ci::explicit::pulumi:providers:aws::deployer",
                "urn:pulumi:ci::explicit::aws:s3/bucket:Bucket::b",
            ],
            "no default provider when every resource names its provider",
        );
        assert.deepEqual(
            report.violations.map((v: { policy: string; urn?: string }) => `${v.policy} ${v.urn}`),
            ["aws-provider-static-credentials urn:pulumi:ci::explicit::pulumi:providers:aws::deployer"],
        );
        assertNoSecrets(r, [key, secret]);
    });

    it("runs a plain JavaScript program and nests component children in URNs like the engine", async () => {
        const root = program("js-component", {
            "Pulumi.yaml": "name: jscomp\nruntime: nodejs\nconfig:\n  aws:region: us-west-1\n",
            // Pulumi has no stack without a stack file here: a preview needs one (or --allow-missing-stack-file).
            "Pulumi.dev.yaml": "config: {}\n",
            "index.js": [
                'const pulumi = require("@pulumi/pulumi");',
                'const aws = require("@pulumi/aws");',
                "class Site extends pulumi.ComponentResource {",
                '    constructor(name, opts) { super("acme:web:Site", name, {}, opts); new aws.s3.Bucket(`${name}-content`, {}, { parent: this }); this.registerOutputs({}); }',
                "}",
                'new Site("docs");',
                "",
            ].join("\n"),
        });
        const r = await runCli(["preview", root, "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const urns = JSON.parse(r.stdout).resources.map((x: { urn: string }) => x.urn);
        assert.ok(urns.includes("urn:pulumi:dev::jscomp::acme:web:Site::docs"), urns.join("\n"));
        assert.ok(urns.includes("urn:pulumi:dev::jscomp::acme:web:Site$aws:s3/bucket:Bucket::docs-content"), urns.join("\n"));
        assert.ok(urns.includes("urn:pulumi:dev::jscomp::pulumi:providers:aws::default_7_48_0"));
    });

    it("runs from source under ts-node too (development), a program outside rootguard included", async () => {
        const root = program("from-source", {
            "Pulumi.yaml": "name: fromsource\nruntime: nodejs\nconfig:\n  aws:region: us-west-1\n",
            // Pulumi has no stack without a stack file here: a preview needs one (or --allow-missing-stack-file).
            "Pulumi.dev.yaml": "config: {}\n",
            "index.ts": 'import * as aws from "@pulumi/aws";\nnew aws.s3.Bucket("b");\n',
        });
        const r = await runCli(["preview", root, "--json"], { source: true });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).resources.length, 3);
    });

    it("forwards what the program prints to stderr, redacted, keeping --json stdout clean", async () => {
        const key = ["AKIA", "RW3KXM5Q7ZB2NT4P"].join("");
        const secret = ["Hy7Rk2LmQ9", "vXc4Tn8Wb1ZsE6pJd3Fa", "0Gu+/Mi5Oe"].join("");
        const root = program("prints", {
            "Pulumi.yaml": "name: prints\nruntime: nodejs\nconfig:\n  aws:region: us-west-1\n",
            // Pulumi has no stack without a stack file here: a preview needs one (or --allow-missing-stack-file).
            "Pulumi.dev.yaml": "config: {}\n",
            "index.ts": `console.log("deploying with ${key} / ${secret}");\nprocess.stdout.write("no newline at the end");\n`,
        });
        const r = await runCli(["preview", root, "--json"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).stack, "dev");
        assert.match(r.stderr, /deploying with AKIA\*\*\*\*NT4P \/ \[redacted secret\]/);
        assert.match(r.stderr, /no newline at the end/);
        assertNoSecrets(r, [key, secret]);
    });

    it("reports a program that calls process.exit as a program error, exit 2", async () => {
        const root = program("exits", {
            "Pulumi.yaml": "name: exits\nruntime: nodejs\n",
            // Pulumi has no stack without a stack file here: a preview needs one (or --allow-missing-stack-file).
            "Pulumi.dev.yaml": "config: {}\n",
            "index.ts": "process.exit(3);\n",
        });
        const r = await runCli(["preview", root]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^rootguard: program exited with code 3 before it finished registering resources\n$/m);
    });
});

/* examples/: what the README shows. */
describe("rootguard preview of examples/", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("passes examples/clean-app", async () => {
        const r = await runCli(["preview", "examples/clean-app"]);
        assert.equal(r.code, 0, r.stderr + r.stdout);
        assert.match(r.stdout, /^Verdict: PASSED \(0 mandatory, 0 advisory\)$/m);
    });

    it("blocks examples/leaky-app on its three leaks without printing any of its keys", async () => {
        const r = await runCli(["preview", "examples/leaky-app"]);
        assert.equal(r.code, 1, r.stderr);
        for (const line of [
            "        - [mandatory]  aws-provider-static-credentials  (pulumi:providers:aws: default_7_48_0)",
            "        - [mandatory]  no-hardcoded-aws-credentials  (aws:lambda/function:Function: handler)",
            "        - [mandatory]  restrict-assume-root  (aws:iam/policy:Policy: break-glass)",
            "Verdict: BLOCKED (3 mandatory, 0 advisory)",
        ]) {
            assert.ok(r.stdout.split("\n").includes(line), `missing line: ${line}`);
        }
        assertNoSecrets(r);
    });
});

/* `npm start`: the guardrail stack at the repository root (its example account stack: rootguard:createRecorder
   is required, so a stack without a file cannot run), previewed by the built CLI. */
describe("npm start (rootguard preview of the guardrail stack)", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("prints the guardrail plan and a passing verdict", async () => {
        const r = await runCli(["preview", ".", "--stack", "example-account"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^ {4}pulumi:pulumi:Stack +rootguard-example-account +create$/m);
        assert.match(r.stdout, /aws:cfg\/rule:Rule +\S*iam-root-access-key-check +create/);
        assert.match(r.stdout, /^Verdict: PASSED \(0 mandatory, \d+ advisory\)$/m);
    });
});
