import { strict as assert } from "node:assert";
import * as path from "node:path";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN, wrapSecret } from "../../src/core/pulumi-values";
import { providerConfig, withDefaultProviders } from "../../src/cli/preview/default-providers";
import { decodeStateValue } from "../../src/cli/preview/export-reader";
import { mockArn, mockId } from "../../src/cli/preview/mock-values";
import { mockLookup } from "../../src/cli/preview/lookups";
import { firstUserFrame } from "../../src/cli/preview/program-errors";
import { readProject } from "../../src/cli/preview/project";
import { programEntry } from "../../src/cli/preview/program-entry";
import { selectStack } from "../../src/cli/preview/stack-selection";
import type { ResourceRecord } from "../../src/cli/preview/records";
import { chooseStyle } from "../../src/cli/preview/report";
import { packRequests } from "../../src/cli/preview/resources";
import { assumeRegionIfUnset, loadStackConfig, previewRegion, programConfig, type StackConfig } from "../../src/cli/preview/stack-config";
import { REPO_ROOT, fixture } from "./preview-helpers";

const secretOf = (value: unknown) => wrapSecret(value);

function configOf(entries: Record<string, string | { secure: true }>): StackConfig {
    const values = new Map();
    for (const [k, v] of Object.entries(entries)) {
        values.set(
            k,
            typeof v === "string"
                ? { text: v, secret: false, unknown: false, object: false }
                : { text: UNKNOWN, secret: true, unknown: true, object: false },
        );
    }
    return { stack: "dev", values, environments: [] };
}

describe("preview: stack config", () => {
    it("layers Pulumi.yaml defaults, the stack file and --config, qualifying project keys", () => {
        const project = {
            dir: fixture("clean"),
            name: "clean-fixture",
            fileExt: ".yaml",
            config: { bucketPrefix: "fixture", "aws:profile": "x" },
        };
        const cfg = loadStackConfig(project, selectStack(project, "test"), ["bucketPrefix=override", "aws:skipMetadataApiCheck=true"]);
        const { config, secretKeys } = programConfig(cfg);
        assert.deepEqual(config, {
            "clean-fixture:bucketPrefix": "override",
            "aws:profile": "x",
            "aws:region": "eu-west-1",
            "aws:skipMetadataApiCheck": "true",
        });
        assert.deepEqual(secretKeys, []);
    });

    it("reads secure: values as secrets whose content is unknown", () => {
        const project = readProject(fixture("secure"));
        const cfg = loadStackConfig(project, selectStack(project, "test"), []);
        const { config, secretKeys } = programConfig(cfg);
        assert.equal(config["aws:secretKey"], UNKNOWN);
        assert.equal(config["secure-fixture:apiToken"], UNKNOWN);
        assert.deepEqual(secretKeys.sort(), ["aws:accessKey", "aws:secretKey", "secure-fixture:apiToken"]);
    });

    it("assumes us-east-1 only when neither config nor environment names a region", () => {
        const none = configOf({});
        assert.equal(assumeRegionIfUnset(none, {}), "us-east-1");
        assert.equal(previewRegion(none), "us-east-1");
        assert.equal(assumeRegionIfUnset(configOf({}), { AWS_REGION: "eu-west-3" }), undefined);
        assert.equal(assumeRegionIfUnset(configOf({ "aws-native:region": "eu-west-3" }), {}), undefined);
        assert.equal(previewRegion(configOf({ "aws:region": "sa-east-1" })), "sa-east-1");
    });

    it("finds the program like Pulumi's Node.js host: Pulumi.yaml main, else package.json, else the folder", () => {
        assert.equal(programEntry(readProject(fixture("clean"))).path, path.join(fixture("clean"), "index.ts"));
        assert.equal(programEntry(readProject(REPO_ROOT)).path, path.join(REPO_ROOT, "stacks", "index.ts"));
    });
});

describe("preview: default providers", () => {
    const record = (over: Partial<ResourceRecord>): ResourceRecord => ({
        urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
        type: "aws:s3/bucket:Bucket",
        name: "b",
        custom: true,
        dependencies: [],
        inputs: {},
        outputs: {},
        ...over,
    });

    it("shapes provider inputs as the engine does: package keys only, objects parsed, secure secret-unknown", () => {
        const cfg = configOf({ "aws:region": "eu-west-1", "aws:secretKey": { secure: true }, "aws-native:region": "x", "p:k": "v" });
        cfg.values.set("aws:assumeRole", { text: '{"roleArn":"arn:aws:iam::1:role/r"}', secret: false, unknown: false, object: true });
        assert.deepEqual(providerConfig(cfg, "aws"), {
            region: "eu-west-1",
            secretKey: secretOf(UNKNOWN),
            assumeRole: { roleArn: "arn:aws:iam::1:role/r" },
        });
    });

    it("inserts one default provider per package and version before its first user and links every user", () => {
        const cfg = configOf({ "aws:region": "eu-west-1" });
        const stack = record({
            urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
            type: "pulumi:pulumi:Stack",
            name: "p-dev",
            custom: false,
        });
        const out = withDefaultProviders(
            [
                stack,
                record({ version: "7.48.0" }),
                record({ urn: "u2", name: "c", version: "7.48.0" }),
                record({ urn: "u3", type: "random:index/randomId:RandomId", version: "4.0.0" }),
            ],
            cfg,
            "p",
        );
        assert.deepEqual(
            out.map((r) => r.urn),
            [
                stack.urn,
                "urn:pulumi:dev::p::pulumi:providers:aws::default_7_48_0",
                "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
                "u2",
                "urn:pulumi:dev::p::pulumi:providers:random::default_4_0_0",
                "u3",
            ],
        );
        assert.deepEqual(out[1].inputs, { region: "eu-west-1", version: "7.48.0" });
        assert.equal(out[2].providerRef, `${out[1].urn}::${out[1].id}`);
        const requests = packRequests(out);
        assert.deepEqual(requests.analyze[2].provider, {
            type: "pulumi:providers:aws",
            urn: out[1].urn,
            name: "default_7_48_0",
            properties: { region: "eu-west-1", version: "7.48.0" },
        });
        assert.equal(requests.analyze[0].provider, undefined, "the stack has no provider");
    });

    it("leaves reads out of Analyze but in AnalyzeStack", () => {
        const requests = packRequests([record({ external: true, outputs: { a: 1 } })]);
        assert.equal(requests.analyze.length, 0);
        assert.deepEqual(requests.stack[0].properties, { a: 1 });
    });
});

describe("preview: mocked values, errors, exports, style", () => {
    it("fabricates name-based ids and ARNs in the preview account and region", () => {
        assert.equal(mockArn("aws:iam/role:Role", "r", {}, "eu-west-1"), "arn:aws:iam::123456789012:role/r");
        assert.equal(mockArn("aws:s3/bucket:Bucket", "b", { bucket: "logs" }, "eu-west-1"), "arn:aws:s3:::logs");
        assert.equal(mockArn("aws:lambda/function:Function", "f", {}, "eu-west-1"), "arn:aws:lambda:eu-west-1:123456789012:function:f");
        assert.equal(mockArn("random:index/randomId:RandomId", "r", {}, "eu-west-1"), undefined);
        assert.equal(mockId("aws:sns/topic:Topic", "t", { name: "alerts" }), "alerts");
        assert.match(mockId("pulumi:providers:aws", "p", {}), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("renders aws.iam.getPolicyDocument locally", () => {
        const { json } = mockLookup(
            "aws:iam/getPolicyDocument:getPolicyDocument",
            {
                statements: [
                    {
                        actions: ["sts:AssumeRoot"],
                        resources: ["*"],
                        conditions: [{ test: "StringEquals", variable: "sts:TaskPolicyArn", values: ["a"] }],
                    },
                ],
            },
            "us-east-1",
        ) as { json: string };
        assert.deepEqual(JSON.parse(json), {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "sts:AssumeRoot", Resource: "*", Condition: { StringEquals: { "sts:TaskPolicyArn": "a" } } },
            ],
        });
    });

    it("names the first frame inside the program, skipping node_modules and rootguard", () => {
        const dir = "/work/app";
        const stack = [
            "Error: boom",
            "    at thing (/work/app/node_modules/lib/index.js:1:1)",
            "    at helper (/work/app/lib/names.ts:12:5)",
            "    at Object.<anonymous> (/work/app/index.ts:3:1)",
        ].join("\n");
        assert.equal(firstUserFrame(stack, dir), "lib/names.ts:12:5");
        assert.equal(firstUserFrame("Error: x\n    at node:internal/x:1:1", dir), undefined);
    });

    it("turns exported secrets into secret values: plaintext decoded, ciphertext unknown", () => {
        assert.deepEqual(decodeStateValue({ a: { [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: '"hunter2"' } }), { a: secretOf("hunter2") });
        assert.deepEqual(decodeStateValue([{ [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" }]), [secretOf(UNKNOWN)]);
    });

    it("colours only a terminal without NO_COLOR", () => {
        const saved = process.env.NO_COLOR;
        try {
            delete process.env.NO_COLOR;
            assert.equal(chooseStyle({ isTTY: true } as NodeJS.WriteStream).red("x"), "\u001b[31mx\u001b[0m");
            assert.equal(chooseStyle({ isTTY: false } as NodeJS.WriteStream).red("x"), "x");
            process.env.NO_COLOR = "1";
            assert.equal(chooseStyle({ isTTY: true } as NodeJS.WriteStream).red("x"), "x");
        } finally {
            if (saved === undefined) delete process.env.NO_COLOR;
            else process.env.NO_COLOR = saved;
        }
    });
});
