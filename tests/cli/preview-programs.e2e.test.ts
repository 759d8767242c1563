/*
 * Programs run the way Pulumi's Node.js host runs them (pulumi/pulumi sdk/nodejs/cmd/run/run.ts), each through the
 * program runner, a process (entry-point resolution alone is in preview-programs.test.ts): ES modules, errors
 * located in the program, packages rootguard does not carry, another major version of a provider SDK, lookups,
 * callback functions (issue 16 items 2, 3, 5, 9, 11 and its packages item; issue 13 item 4).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserError } from "../../src/cli/errors";
import { ASSET_SIG } from "../../src/core/pulumi-values";
import { ANSWERED_LOOKUPS } from "../../src/cli/preview/lookups";
import { preparePreview, recordPreview, type PreviewRequest, type RecordedPreview } from "../../src/cli/preview/preview-program";
import type { ResourceRecord } from "../../src/cli/preview/records";
import { packRequests } from "../../src/cli/preview/resources";
import { ensureBuilt } from "../build";
import { cleanEnv, fixture, runCli } from "./preview-helpers";

async function record(dir: string, request: PreviewRequest = {}): Promise<RecordedPreview & { notices: string[] }> {
    const prepared = preparePreview(dir, request);
    const recorded = await recordPreview(prepared);
    return { records: recorded.records, notices: [...prepared.notices, ...recorded.notices] };
}

async function failure(dir: string, request: PreviewRequest = {}): Promise<string> {
    try {
        await record(dir, request);
    } catch (err) {
        assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
        return err.message;
    }
    assert.fail("expected the preview to fail");
}

/** A copy of a fixture with packages "installed": each is a folder under node_modules with the given files. */
function withInstalled(name: string, packages: Record<string, Record<string, string>>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rootguard-${name}-`));
    fs.cpSync(fixture(name), dir, { recursive: true });
    for (const [pkg, files] of Object.entries(packages)) {
        for (const [file, text] of Object.entries(files)) {
            const target = path.join(dir, "node_modules", pkg, file);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, text);
        }
    }
    return dir;
}

const temps: string[] = [];
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A program folder whose entry file holds the given lines (kept out of the repository, which type-checks and lints its .ts files). */
function brokenProgram(file: string, lines: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-broken-"));
    temps.push(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config:\n  aws:region: eu-west-1\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", main: file }));
    fs.writeFileSync(path.join(dir, file), lines.join("\n") + "\n");
    return dir;
}

const byType = (records: ResourceRecord[], type: string) => records.filter((r) => r.type === type);

describe("preview: entry points and module systems, as Pulumi's Node.js host", function () {
    this.timeout(180_000);

    it("runs an ES-module TypeScript program (type: module, nodenext imports, top-level await, import.meta)", async () => {
        const { records } = await record(fixture("esm-ts"));
        const policy = byType(records, "aws:iam/policy:Policy")[0];
        assert.equal(policy?.urn, "urn:pulumi:test::esm-ts-fixture::aws:iam/policy:Policy::break-glass");
        assert.equal(policy.inputs.description, "account 123456789012, from index.ts");
    });

    it("runs an ES-module JavaScript program whose default export is the program", async () => {
        const { records } = await record(fixture("esm-js"));
        assert.equal(byType(records, "aws:s3/bucket:Bucket")[0]?.name, "esm-bucket");
        const stack = byType(records, "pulumi:pulumi:Stack")[0];
        assert.deepEqual(stack.outputs, { bucketName: "esm-bucket" });
    });

    it("gives a TypeScript syntax error as the compiler's first diagnostic, at file:line:col", async () => {
        const dir = brokenProgram("index.ts", [
            'import * as aws from "@pulumi/aws";',
            "",
            'new aws.s3.Bucket("b", {',
            '    tags: { team: "web" }',
            '    bucket: "missing-comma",',
            "});",
        ]);
        assert.equal(await failure(dir), "program failed: index.ts:5:5: error TS1005: ',' expected.");
    });

    it("gives a JavaScript syntax error at file:line:col", async () => {
        const dir = brokenProgram("index.js", [
            '"use strict";',
            'const aws = require("@pulumi/aws");',
            "function name(prefix) {",
            "    return prefix +;",
            "}",
            'new aws.s3.Bucket(name("b"));',
        ]);
        assert.equal(await failure(dir), "program failed: index.js:4:20: SyntaxError: Unexpected token ';'");
    });
});

describe("preview: packages the program needs", function () {
    this.timeout(180_000);

    it("names a package that is neither installed nor carried, and where to run npm install", async () => {
        assert.equal(
            await failure(fixture("needs-package")),
            `program needs @pulumi/random, which is not installed in ${path.relative(process.cwd(), fixture("needs-package"))} and not carried by rootguard: ` +
                `run \`npm install\` in ${path.relative(process.cwd(), fixture("needs-package"))} (at index.ts:5:1)`,
        );
    });

    it("runs the program with the package once its folder has it installed", async () => {
        const dir = withInstalled("needs-package", {
            "@pulumi/random": {
                "package.json": JSON.stringify({ name: "@pulumi/random", version: "4.18.0", main: "index.js" }),
                // Stands in for the real package: the same resource type, registered through the program's runtime.
                "index.js": [
                    'const pulumi = require("@pulumi/pulumi");',
                    "class RandomId extends pulumi.CustomResource {",
                    '    constructor(name, args, opts) { super("random:index/randomId:RandomId", name, { ...args, hex: undefined }, opts); }',
                    "}",
                    "module.exports = { RandomId };",
                ].join("\n"),
            },
        });
        temps.push(dir);
        const { records } = await record(dir);
        assert.deepEqual(
            records.map((r) => r.type),
            [
                "pulumi:pulumi:Stack",
                "pulumi:providers:random",
                "random:index/randomId:RandomId",
                "pulumi:providers:aws",
                "aws:s3/bucket:Bucket",
            ],
        );
    });

    it("says which provider SDK stood in when the program asks for another major version and has none installed", async () => {
        const prepared = preparePreview(fixture("old-aws-major"));
        const shown = path.relative(process.cwd(), fixture("old-aws-major"));
        assert.deepEqual(prepared.notices.slice(-1), [
            `package.json asks for @pulumi/aws ^6.65.0, but the program runs on rootguard's @pulumi/aws 7.48.0; run \`npm install\` in ${shown} to preview with the program's own`,
        ]);
        assert.equal(
            await failure(fixture("old-aws-major")),
            "program failed: Cannot read properties of undefined (reading 'AWSLambdaBasicExecutionRole') (at index.ts:7:96) " +
                `[rootguard's @pulumi/aws 7.48.0 stood in for ^6.65.0: run \`npm install\` in ${shown}]`,
        );
    });

    it("uses the program's own provider SDK when it is installed", async () => {
        const dir = withInstalled("old-aws-major", {
            "@pulumi/aws": {
                "package.json": JSON.stringify({ name: "@pulumi/aws", version: "6.65.0", main: "index.js" }),
                // A minimal stand-in for @pulumi/aws 6: the resources this program uses and v6's ManagedPolicies enum.
                "index.js": [
                    'const pulumi = require("@pulumi/pulumi");',
                    "const resource = (type) => class extends pulumi.CustomResource {",
                    '    constructor(name, args, opts) { super(type, name, args, { version: "6.65.0", ...opts }); }',
                    "};",
                    "module.exports = { iam: {",
                    '    Role: resource("aws:iam/role:Role"),',
                    '    RolePolicyAttachment: resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),',
                    '    ManagedPolicies: { AWSLambdaBasicExecutionRole: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },',
                    "} };",
                ].join("\n"),
            },
        });
        temps.push(dir);
        const { records, notices } = await record(dir);
        assert.deepEqual(notices, []);
        const attachment = byType(records, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")[0];
        assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assert.ok(
            records.some((r) => r.urn.endsWith("::pulumi:providers:aws::default_6_65_0")),
            "the default provider is the program's version",
        );
    });
});

describe("preview: lookups and callback functions", function () {
    this.timeout(180_000);

    it("answers the common AWS lookups with values of AWS's shapes that programs can build on", async () => {
        const { records } = await record(fixture("lookups"));
        const shapes = byType(records, "pulumi:pulumi:Stack")[0].outputs.shapes as Record<string, unknown>;
        assert.match(String(shapes.vpcId), /^vpc-0[0-9a-f]{16}$/);
        assert.equal(shapes.vpcCidr, "10.0.0.0/16");
        assert.equal((shapes.subnetIds as string[]).length, 3);
        for (const id of shapes.subnetIds as string[]) assert.match(id, /^subnet-0[0-9a-f]{16}$/);
        assert.match(String(shapes.sgId), /^sg-0[0-9a-f]{16}$/);
        assert.match(String(shapes.ami), /^ami-0[0-9a-f]{16}$/);
        assert.deepEqual(shapes.zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        const instance = byType(records, "aws:ec2/instance:Instance")[0];
        assert.equal(instance.inputs.subnetId, (shapes.subnetIds as string[])[0]);
        assert.equal(instance.inputs.availabilityZone, "eu-west-1a");
        const policy = JSON.parse(String(byType(records, "aws:iam/policy:Policy")[0].inputs.policy));
        assert.equal(policy.Statement[0].Resource, "arn:aws:s3:::logs-123456789012-eu-west-1/*");
        assert.match(String(byType(records, "aws:route53/record:Record")[0].inputs.zoneId), /^Z[0-9A-F]{20}$/);
        assert.ok(ANSWERED_LOOKUPS.length >= 40, "a table of common lookups, not a handful");
    });

    it("stops on a lookup it cannot answer, naming it and the --lookup flag; --lookup supplies the value", async () => {
        assert.equal(
            await failure(fixture("unanswered-lookup")),
            'program failed: error serializing property "routeTableId": lookup aws:ec2/getVpcEndpoint:getVpcEndpoint has no offline value: ' +
                "rootguard cannot ask the cloud, and invents answers only for common AWS lookups. " +
                `Pass what it should return as JSON with --lookup 'aws:ec2/getVpcEndpoint:getVpcEndpoint={"id":"…"}' (or TOKEN=@file.json)`,
        );
        const { records } = await record(fixture("unanswered-lookup"), {
            lookup: ['aws:ec2/getVpcEndpoint:getVpcEndpoint={"routeTableIds":["rtb-0123456789abcdef0"]}'],
        });
        assert.equal(
            byType(records, "aws:ec2/routeTableAssociation:RouteTableAssociation")[0].inputs.routeTableId,
            "rtb-0123456789abcdef0",
        );
    });

    it("sends a callback function's code archive to the pack even when node_modules is missing", async () => {
        const { records } = await record(fixture("callback"));
        const fn = packRequests(records).analyze.find((r) => r.type === "aws:lambda/function:Function");
        const index = (fn?.properties.code as { assets: Record<string, { text: string; hash: string; [k: string]: unknown }> }).assets[
            "__index.js"
        ];
        assert.equal(index["4dabf18193072939515e22adb298388d"], ASSET_SIG);
        assert.match(index.text, /hello from the closure/);
        assert.match(index.hash, /^[0-9a-f]{64}$/);
    });
});

describe("preview: the CLI's one-line errors for programs (end to end)", function () {
    this.timeout(180_000);
    before(() => ensureBuilt());

    it("prints the located syntax error and the npm install hint as the one line, exit 2", async () => {
        const syntax = await runCli(["preview", brokenProgram("index.ts", ["const x = {", "    a: 1", "    b: 2,", "};"])], {
            env: cleanEnv(),
        });
        assert.equal(syntax.code, 2);
        assert.equal(syntax.stderr, "rootguard: program failed: index.ts:3:5: error TS1005: ',' expected.\n");
        const missing = await runCli(["preview", fixture("needs-package")], { env: cleanEnv() });
        assert.equal(missing.code, 2);
        assert.match(
            missing.stderr,
            /^rootguard: program needs @pulumi\/random, which is not installed in .* run `npm install` in .*\(at index\.ts:5:1\)\n$/,
        );
    });

    it("blocks the ES-module program's unrestricted AssumeRoot grant, exit 1", async () => {
        const r = await runCli(["preview", fixture("esm-ts"), "--json"], { env: cleanEnv() });
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual(
            JSON.parse(r.stdout).violations.map((v: { policy: string; urn: string }) => `${v.policy} ${v.urn}`),
            ["restrict-assume-root urn:pulumi:test::esm-ts-fixture::aws:iam/policy:Policy::break-glass"],
        );
    });
});
