import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetCallerIdentityCache } from "../../policies/caller-identity";
import { noRootCredentials as policy } from "../../policies/identity";
import { KEY_ID, SECRET, TEMP_KEY_ID } from "./fixtures";
import { UNKNOWN, assertNoSecretLeak, runStack, type ResourceSpec } from "./helpers";
import { startSts, type Answer, type LoopbackSts } from "../fixtures/loopback-sts";

const ACCOUNT = "111122223333";
const ROOT = { arn: `arn:aws:iam::${ACCOUNT}:root`, account: ACCOUNT, userId: ACCOUNT };
const ROLE = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`, account: ACCOUNT, userId: "AROAEXAMPLEROLEID:ci" };
const ENV_KEYS = [
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
];
const BUCKET: ResourceSpec = { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } };

describe("no-root-credentials", function () {
    this.timeout(10_000);
    let saved: Record<string, string | undefined>;
    let sts: LoopbackSts | undefined;
    let dir: string;

    beforeEach(() => {
        saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
        for (const k of ENV_KEYS) delete process.env[k];
        dir = mkdtempSync(join(tmpdir(), "rootguard-sts-"));
        // No stray credentials from the machine running the tests.
        process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
        process.env.AWS_CONFIG_FILE = join(dir, "config");
        process.env.AWS_EC2_METADATA_DISABLED = "true";
        resetCallerIdentityCache();
    });

    afterEach(async () => {
        for (const k of ENV_KEYS) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
        await sts?.close();
        sts = undefined;
        rmSync(dir, { recursive: true, force: true });
        resetCallerIdentityCache();
    });

    async function useSts(answer: (keyId?: string) => Answer, envKey: string | null = KEY_ID): Promise<LoopbackSts> {
        sts = await startSts((c) => answer(c.keyId));
        process.env.AWS_ENDPOINT_URL_STS = sts.url;
        if (envKey) {
            process.env.AWS_ACCESS_KEY_ID = envKey;
            process.env.AWS_SECRET_ACCESS_KEY = SECRET;
        }
        return sts;
    }

    it("flags ambient credentials that STS says are the root user", async () => {
        const server = await useSts(() => ROOT);
        const reports = await runStack(policy, [BUCKET]);
        assert.equal(reports.length, 1);
        assert.equal(reports[0].enforcementLevel, undefined);
        assert.match(reports[0].message, /arn:aws:iam::111122223333:root/);
        assert.match(reports[0].message, /ambient/);
        assert.match(reports[0].message, /Identity Center/);
        assert.equal(server.calls[0].keyId, KEY_ID, "the SDK signed with the ambient env credentials");
        assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
    });

    it("passes a role ARN", async () => {
        await useSts(() => ROLE);
        assert.deepEqual(await runStack(policy, [BUCKET]), []);
    });

    it("flags a UserId equal to the account even when the ARN looks different", async () => {
        await useSts(() => ({ arn: `arn:aws:iam::${ACCOUNT}:user/x`, account: ACCOUNT, userId: ACCOUNT }));
        assert.equal((await runStack(policy, [BUCKET])).length, 1);
    });

    it("asks STS once per credential source per run", async () => {
        const server = await useSts(() => ROLE);
        await runStack(policy, [BUCKET, { ...BUCKET, name: "c" }]);
        await runStack(policy, [BUCKET]);
        assert.equal(server.calls.length, 1);
    });

    it("checks each provider's static keys separately and reports on the provider", async () => {
        const server = await useSts((keyId) => (keyId === TEMP_KEY_ID ? ROOT : ROLE));
        const provider = {
            type: "pulumi:providers:aws",
            name: "legacy",
            props: { accessKey: TEMP_KEY_ID, secretKey: SECRET, token: "tok", region: "eu-west-1" },
        };
        const reports = await runStack(policy, [
            { ...BUCKET, provider },
            { type: provider.type, name: provider.name, props: provider.props },
            { type: "aws:s3/bucket:Bucket", name: "d", props: {}, provider: { type: "pulumi:providers:aws", name: "default", props: {} } },
        ]);
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /provider 'legacy' \(access key ASIA\*\*\*\*VV7A\)/);
        assert.equal(reports[0].urn, "urn:pulumi:test::rootguard::pulumi:providers:aws::legacy");
        assert.deepEqual(server.calls.map((c) => c.keyId).sort(), [KEY_ID, TEMP_KEY_ID].sort());
        assertNoSecretLeak([reports[0].message], [SECRET], [TEMP_KEY_ID, KEY_ID]);
    });

    it("checks a provider's profile with the profile's credentials", async () => {
        const server = await useSts((keyId) => (keyId === TEMP_KEY_ID ? ROOT : ROLE), null);
        writeFileSync(
            process.env.AWS_SHARED_CREDENTIALS_FILE!,
            `[rootprofile]\naws_access_key_id = ${TEMP_KEY_ID}\naws_secret_access_key = ${SECRET}\n`,
        );
        const provider = { type: "pulumi:providers:aws-native", name: "native", props: { profile: "rootprofile", region: "us-west-2" } };
        const reports = await runStack(policy, [{ type: "aws-native:s3:Bucket", name: "n", props: {}, provider }]);
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /profile 'rootprofile'/);
        assert.equal(server.calls.length, 1);
    });

    it("returns within the timeout when STS never answers, following onUnverified", async () => {
        await useSts(() => "hang");
        const advisory = await runStack(policy, [BUCKET], { timeoutMs: 200, onUnverified: "advisory" });
        assert.equal(advisory.length, 1);
        assert.equal(advisory[0].enforcementLevel, "advisory");
        assert.match(advisory[0].message, /did not answer within 200 ms/);
        resetCallerIdentityCache();
        assert.deepEqual(await runStack(policy, [BUCKET], { timeoutMs: 200 }), [], "default onUnverified is pass");
    });

    it("follows onUnverified when there are no credentials", async () => {
        await useSts(() => ROLE, null);
        assert.deepEqual(await runStack(policy, [BUCKET]), []);
        resetCallerIdentityCache();
        const mandatory = await runStack(policy, [BUCKET], { onUnverified: "mandatory" });
        assert.equal(mandatory.length, 1);
        assert.equal(mandatory[0].enforcementLevel, undefined, "mandatory uses the policy's own level");
        assert.match(mandatory[0].message, /Could not verify/);
    });

    it("treats an STS error as unverified", async () => {
        await useSts(() => ({ status: 403 }));
        const reports = await runStack(policy, [BUCKET], { onUnverified: "advisory" });
        assert.equal(reports.length, 1);
        assert.equal(reports[0].enforcementLevel, "advisory");
        assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
    });

    it("does not call STS when verification is off or the stack has no AWS resources", async () => {
        const server = await useSts(() => ROOT);
        assert.deepEqual(await runStack(policy, [BUCKET], { verifyCallerIdentity: false }), []);
        assert.deepEqual(await runStack(policy, [{ type: "random:index/randomId:RandomId", props: {} }]), []);
        assert.equal(server.calls.length, 0);
    });

    it("flags listed root key IDs and profiles offline", async () => {
        process.env.AWS_ACCESS_KEY_ID = KEY_ID;
        process.env.AWS_PROFILE = "breakglass";
        const provider = { type: "pulumi:providers:aws", name: "p", props: { accessKey: TEMP_KEY_ID, secretKey: SECRET } };
        const native = { type: "pulumi:providers:aws-native", name: "n", props: { profile: "org-root" } };
        const reports = await runStack(
            policy,
            [
                { ...BUCKET, provider },
                { type: "aws-native:s3:Bucket", name: "x", props: {}, provider: native },
            ],
            {
                verifyCallerIdentity: false,
                rootAccessKeyIds: [KEY_ID, TEMP_KEY_ID],
                rootProfiles: ["breakglass", "org-root"],
            },
        );
        const text = reports.map((r) => r.message).join("\n");
        assert.equal(reports.length, 4, text);
        assert.match(text, /AWS_ACCESS_KEY_ID AKIA\*\*\*\*JRUX/);
        assert.match(text, /AWS_PROFILE='breakglass'/);
        assert.match(text, /Provider 'p' uses access key ASIA\*\*\*\*VV7A/);
        assert.match(text, /Provider 'n' uses profile 'org-root'/);
        assertNoSecretLeak([text], [SECRET], [KEY_ID, TEMP_KEY_ID]);
    });

    it("does not ask STS again about a source already flagged offline", async () => {
        const server = await useSts(() => ROOT);
        const reports = await runStack(policy, [BUCKET], { rootAccessKeyIds: [KEY_ID] });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /rootAccessKeyIds/);
        assert.equal(server.calls.length, 0);
    });

    it("treats a provider key unknown during preview as unverified, never as a mandatory finding", async () => {
        await useSts(() => ROOT);
        const provider = { type: "pulumi:providers:aws", name: "p", props: { accessKey: UNKNOWN, secretKey: UNKNOWN } };
        assert.deepEqual(await runStack(policy, [{ ...BUCKET, provider }]), []);
        const advisory = await runStack(policy, [{ ...BUCKET, provider }], { onUnverified: "advisory" });
        assert.equal(advisory.length, 1);
        assert.equal(advisory[0].enforcementLevel, "advisory");
    });
});
