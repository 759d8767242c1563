/**
 * The rootguard pack itself, started exactly as `pulumi preview --policy-pack .` starts it, checked
 * through every Analyzer call the engine makes.
 */
import * as assert from "node:assert/strict";
import { accountIdOfKeyId, maskKeyId } from "../../src/core/access-keys";
import { wrapSecret } from "../../src/core/pulumi-values";
import { startPack, type Diagnostic, type PackClient, type ProviderInput, type ResourceInput } from "../../src/engine";
import { REPO_ROOT, fakeKeyId, fakeSecret, isolatedAwsEnv, secretFragments } from "./helpers";
import { startSts, type LoopbackSts } from "../fixtures/loopback-sts";
import { ensureBuilt } from "../build";

/** The repository root is the real pack (its `main` is compiled JavaScript: see tests/build.ts). */
const ROOTGUARD_POLICIES = [
    ["no-hardcoded-aws-credentials", "mandatory"],
    ["aws-provider-static-credentials", "mandatory"],
    ["no-root-credentials", "mandatory"],
    ["no-root-access-key-resource", "mandatory"],
    ["restrict-assume-root", "mandatory"],
    ["root-key-check-coverage", "mandatory"],
    ["scp-root-deny-exempts-assume-root", "advisory"],
] as const;

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ROLE_ARN = "arn:aws:sts::111122223333:assumed-role/deployer/session";
const ROOT_ARN = "arn:aws:iam::111122223333:root";

const ambientKey = fakeKeyId(100);
const ambientSecret = fakeSecret(100);
const key = fakeKeyId(7);
const secret = fakeSecret(7);

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::rootguard-test::${type}::${name}`;
}

function res(type: string, name: string, properties: Record<string, unknown>, provider?: ProviderInput): ResourceInput {
    return { urn: urn(type, name), type, name, properties, ...(provider ? { provider } : {}) };
}

function awsProvider(name: string, properties: Record<string, unknown> = { region: "us-east-1" }): ProviderInput {
    return { type: "pulumi:providers:aws", urn: urn("pulumi:providers:aws", name), name, properties };
}

function leakyLambda(name: string, variables: unknown): ResourceInput {
    return res("aws:lambda/function:Function", name, {
        role: "arn:aws:iam::111122223333:role/lambda",
        runtime: "nodejs20.x",
        handler: "index.handler",
        environment: { variables },
    });
}

function of(ds: Diagnostic[], policy: string): Diagnostic[] {
    return ds.filter((d) => d.policyName === policy);
}

/** No message or description may carry a full key ID or any 8 characters of a secret. */
function assertNoLeak(ds: Diagnostic[], keys: string[], secrets: string[]): void {
    for (const d of ds) {
        const text = `${d.message}\n${d.description}`;
        for (const k of keys) assert.ok(!text.includes(k), `full key ID in ${d.policyName}: ${text}`);
        for (const s of secrets) for (const f of secretFragments(s)) assert.ok(!text.includes(f), `secret fragment in ${d.policyName}`);
    }
}

/** The rootguard pack with the ambient static keys, its STS pointed at a loopback server answering `arn`. */
async function startPackWithSts(arn: string): Promise<{ pack: PackClient; sts: LoopbackSts }> {
    const account = /arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? "123456789012";
    const sts = await startSts(() => ({ arn, account, userId: arn.endsWith(":root") ? account : "AROAEXAMPLEROLEID:session" }));
    const pack = await startPack(REPO_ROOT, {
        env: isolatedAwsEnv({ AWS_ENDPOINT_URL_STS: sts.url, AWS_ACCESS_KEY_ID: ambientKey, AWS_SECRET_ACCESS_KEY: ambientSecret }),
    });
    return { pack, sts };
}

describe("protocol: rootguard pack", function () {
    this.timeout(120_000);
    let sts: LoopbackSts;
    let pack: PackClient;

    before(async () => {
        ensureBuilt();
        ({ pack, sts } = await startPackWithSts(ROLE_ARN));
    });
    after(async () => {
        await pack?.close();
        await sts?.close();
    });

    it("GetAnalyzerInfo lists the seven policies with their default levels", async () => {
        const info = await pack.info();
        assert.equal(info.name, "rootguard");
        assert.equal(info.version, require("../../package.json").version);
        assert.deepEqual(info.policies.map((p) => [p.name, p.enforcementLevel]).sort(), ROOTGUARD_POLICIES.map(([n, l]) => [n, l]).sort());
        for (const p of info.policies) assert.ok(p.description.length > 20, `${p.name} has a description`);
    });

    it("Configure fills every schema default the policies declare", async () => {
        const info = await pack.info();
        const effective = await pack.configure();
        for (const p of info.policies) {
            for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                const def = (schema as { default?: unknown }).default;
                if (def !== undefined) assert.deepEqual(effective[p.name][k], def, `${p.name}.${k}`);
            }
        }
        assert.equal(effective["no-hardcoded-aws-credentials"].allowExampleKeys, true);
        assert.equal(effective["no-root-credentials"].verifyCallerIdentity, true);
        assert.equal(effective["no-root-credentials"].onUnverified, "pass");
        assert.equal(effective["restrict-assume-root"].includeFullWildcard, false);
        assert.equal(effective["root-key-check-coverage"].requireRule, false);
        assert.equal(effective["root-key-check-coverage"].maximumFrequency, "TwentyFour_Hours");
        assert.equal(effective["scp-root-deny-exempts-assume-root"].enforcementLevel, "advisory");
    });

    it("Configure rejects a wrong value naming policy and key, and a misspelt policy naming it", async () => {
        await assert.rejects(
            pack.configure({ "no-root-credentials": { verifyCallerIdentity: "yes" } }),
            /"no-root-credentials".*"verifyCallerIdentity" must be boolean/,
        );
        await assert.rejects(pack.configure({ "no-root-credential": "advisory" }), /does not have: "no-root-credential"/);
        await pack.configure();
    });

    it("Configure refuses a setting a policy does not declare (a misspelt requireRule), naming policy and key", async () => {
        await assert.rejects(
            pack.configure({ "root-key-check-coverage": { requireRules: true } }),
            /"root-key-check-coverage": "requireRules" is not a setting of this policy \(its settings are .*requireRule/,
        );
        await assert.rejects(
            pack.configure({ "no-root-credentials": { timeoutMS: 100 } }),
            /"no-root-credentials": "timeoutMS" is not a setting.*timeoutMs/,
        );
        await pack.configure();
    });

    it("Analyze of a Lambda with a hard-coded key: mandatory, masked key and account, never the key or secret", async () => {
        const ds = await pack.analyze(leakyLambda("leaky", { AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret, STAGE: "prod" }));
        const found = of(ds, "no-hardcoded-aws-credentials");
        assert.equal(found.length, 1, JSON.stringify(ds));
        assert.equal(found[0].enforcementLevel, "mandatory");
        assert.equal(found[0].urn, urn("aws:lambda/function:Function", "leaky"));
        assert.ok(found[0].message.includes(maskKeyId(key)), found[0].message);
        assert.ok(found[0].message.includes(accountIdOfKeyId(key)!), "names the account the key belongs to");
        assert.match(found[0].message, /AWS_ACCESS_KEY_ID/);
        assert.match(found[0].message, /AWS_SECRET_ACCESS_KEY/);
        assertNoLeak(ds, [key], [secret]);
    });

    it("Analyze finds a key inside an ECS container definition JSON and an aws-native Lambda", async () => {
        const ecs = res("aws:ecs/taskDefinition:TaskDefinition", "task", {
            family: "app",
            containerDefinitions: JSON.stringify([
                { name: "app", image: "nginx", environment: [{ name: "AWS_ACCESS_KEY_ID", value: key }] },
            ]),
        });
        const native = res("aws-native:lambda:Function", "native", {
            environment: { variables: { KEY: key, AWS_SECRET_ACCESS_KEY: secret } },
        });
        for (const r of [ecs, native]) {
            const ds = await pack.analyze(r);
            assert.deepEqual(
                of(ds, "no-hardcoded-aws-credentials").map((d) => d.enforcementLevel),
                ["mandatory"],
                r.type,
            );
            assertNoLeak(ds, [key], [secret]);
        }
    });

    it("Analyze of secret-wrapped and unknown values: flags the secret without printing it, no mandatory for unknowns", async () => {
        const wrapped = await pack.analyze(leakyLambda("wrapped", { AWS_ACCESS_KEY_ID: wrapSecret(key) }));
        assert.equal(of(wrapped, "no-hardcoded-aws-credentials").length, 1);
        assertNoLeak(wrapped, [key], []);
        const unknown = await pack.analyze(leakyLambda("unknown", UNKNOWN));
        assert.deepEqual(
            unknown.filter((d) => d.enforcementLevel === "mandatory"),
            [],
        );
    });

    it("Analyze of a clean Lambda returns nothing", async () => {
        assert.deepEqual(await pack.analyze(leakyLambda("clean", { STAGE: "prod", TABLE: "orders" })), []);
    });

    it("Analyze with a provider carrying static keys: mandatory aws-provider-static-credentials, keys not shown", async () => {
        const provider = awsProvider("static", { region: "eu-west-1", accessKey: key, secretKey: secret });
        const ds = await pack.analyze(res("aws:s3/bucket:Bucket", "data", { bucket: "data" }, provider));
        const found = of(ds, "aws-provider-static-credentials");
        assert.deepEqual(
            found.map((d) => d.enforcementLevel),
            ["mandatory"],
            JSON.stringify(ds),
        );
        assert.match(found[0].message, /static/);
        assertNoLeak(ds, [key], [secret]);
        const clean = await pack.analyze(res("aws:s3/bucket:Bucket", "data2", {}, awsProvider("role-based", { region: "eu-west-1" })));
        assert.deepEqual(of(clean, "aws-provider-static-credentials"), []);
    });

    it("Analyze of the provider resource itself with static keys", async () => {
        const ds = await pack.analyze(res("pulumi:providers:aws", "explicit", { region: "us-east-1", accessKey: key, secretKey: secret }));
        assert.deepEqual(
            of(ds, "aws-provider-static-credentials").map((d) => d.enforcementLevel),
            ["mandatory"],
        );
        assertNoLeak(ds, [key], [secret]);
    });

    it("Analyze of an access key for a user named root, and of an unrestricted AssumeRoot grant", async () => {
        const rootKey = await pack.analyze(res("aws:iam/accessKey:AccessKey", "rk", { user: "Root" }));
        assert.deepEqual(
            of(rootKey, "no-root-access-key-resource").map((d) => d.enforcementLevel),
            ["mandatory"],
        );
        const grant = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRoot", Resource: "*" }] });
        const ds = await pack.analyze(res("aws:iam/policy:Policy", "grant", { policy: grant }));
        assert.deepEqual(
            of(ds, "restrict-assume-root").map((d) => d.enforcementLevel),
            ["mandatory"],
        );
    });

    it("AnalyzeStack: outputs of the whole stack; role identity from the loopback STS gives no root violation", async () => {
        sts.calls.length = 0;
        const provider = awsProvider("default_7_0_0");
        const resources = [
            res("aws:s3/bucket:Bucket", "logs", { bucket: "logs", arn: "arn:aws:s3:::logs" }, provider),
            res(
                "aws:cfg/rule:Rule",
                "root-keys",
                { name: "root-keys", source: { owner: "AWS", sourceIdentifier: "IAM_ROOT_ACCESS_KEY_CHECK" } },
                provider,
            ),
        ];
        const ds = await pack.analyzeStack(resources);
        assert.deepEqual(
            ds.filter((d) => d.enforcementLevel === "mandatory"),
            [],
            JSON.stringify(ds),
        );
        assert.ok(
            sts.calls.some((r) => r.action === "GetCallerIdentity" && r.keyId === ambientKey),
            `the pack asked the loopback STS with the ambient key: ${JSON.stringify(sts.calls.map((r) => r.action))}`,
        );
    });

    it("AnalyzeStack applies configured values: requireRule flags a stack without the root key check", async () => {
        await pack.configure({ "root-key-check-coverage": { requireRule: true } });
        try {
            const without = await pack.analyzeStack([res("aws:s3/bucket:Bucket", "only", {})]);
            assert.deepEqual(
                of(without, "root-key-check-coverage").map((d) => d.enforcementLevel),
                ["mandatory"],
            );
            const withRule = await pack.analyzeStack([
                res("aws:cfg/rule:Rule", "rule", { source: { owner: "AWS", sourceIdentifier: "IAM_ROOT_ACCESS_KEY_CHECK" } }),
            ]);
            assert.deepEqual(of(withRule, "root-key-check-coverage"), []);
        } finally {
            await pack.configure();
        }
    });

    it("a misspelt setting that reaches the pack anyway (the Pulumi CLI cannot refuse it) is a violation, not a silent default", async () => {
        await pack.configure({ "no-hardcoded-aws-credentials": { allowExampleKey: false } }, { unknownSettings: "pass" });
        try {
            const ds = await pack.analyze(leakyLambda("typo", { STAGE: "prod" }));
            const found = of(ds, "no-hardcoded-aws-credentials");
            assert.deepEqual(
                found.map((d) => d.enforcementLevel),
                ["mandatory"],
                JSON.stringify(ds),
            );
            assert.match(found[0].message, /does not have: 'allowExampleKey'.*allowExampleKeys/);
            const typo = await pack.analyzeStack([res("aws:s3/bucket:Bucket", "b", {})]);
            assert.deepEqual(of(typo, "no-hardcoded-aws-credentials"), [], "a resource policy reports nothing at stack level");
        } finally {
            await pack.configure();
        }
        await pack.configure({ "root-key-check-coverage": { requireRules: true } }, { unknownSettings: "pass" });
        try {
            const ds = await pack.analyzeStack([res("aws:s3/bucket:Bucket", "only", {})]);
            const found = of(ds, "root-key-check-coverage");
            assert.ok(
                found.some((d) => d.enforcementLevel === "mandatory" && /'requireRules'/.test(d.message)),
                JSON.stringify(found),
            );
        } finally {
            await pack.configure();
        }
    });
});

describe("protocol: rootguard pack, no-root-credentials against a loopback STS answering a root ARN", function () {
    this.timeout(120_000);
    let sts: LoopbackSts;
    let pack: PackClient;

    before(async () => {
        ensureBuilt();
        ({ pack, sts } = await startPackWithSts(ROOT_ARN));
        await pack.configure();
    });
    after(async () => {
        await pack?.close();
        await sts?.close();
    });

    it("AnalyzeStack reports a mandatory violation that names the account, not the key", async () => {
        const ds = await pack.analyzeStack([res("aws:s3/bucket:Bucket", "logs", { bucket: "logs" }, awsProvider("default"))]);
        const found = of(ds, "no-root-credentials");
        assert.equal(found.length >= 1, true, JSON.stringify(ds));
        assert.deepEqual([...new Set(found.map((d) => d.enforcementLevel))], ["mandatory"]);
        assert.ok(
            found.some((d) => d.message.includes("111122223333")),
            found.map((d) => d.message).join("\n"),
        );
        assertNoLeak(ds, [ambientKey], [ambientSecret]);
        assert.ok(sts.calls.some((r) => r.keyId === ambientKey));
    });

    it("with verifyCallerIdentity off, STS is not asked and nothing is reported", async () => {
        await pack.configure({ "no-root-credentials": { verifyCallerIdentity: false } });
        sts.calls.length = 0;
        const ds = await pack.analyzeStack([res("aws:s3/bucket:Bucket", "logs", { bucket: "logs" }, awsProvider("default"))]);
        assert.deepEqual(of(ds, "no-root-credentials"), []);
        assert.equal(sts.calls.length, 0);
    });
});
