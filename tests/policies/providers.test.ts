import * as assert from "node:assert/strict";
import { awsProviderStaticCredentials as policy, resetReportedProviders } from "../../policies/providers";
import { KEY_ID, SECRET } from "./fixtures";
import { UNKNOWN, assertNoSecretLeak, runResource, secret, urnOf } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";

describe("aws-provider-static-credentials", () => {
    beforeEach(resetReportedProviders);

    it("flags an aws provider resource with static keys, naming it and masking the key", async () => {
        const reports = await runResource(policy, {
            type: "pulumi:providers:aws",
            name: "prod",
            props: { region: "eu-west-1", accessKey: KEY_ID, secretKey: SECRET },
        });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /Provider 'prod' \(pulumi:providers:aws\)/);
        assert.match(reports[0].message, /AKIA\*\*\*\*JRUX/);
        assert.match(reports[0].message, /OIDC/);
        assert.match(reports[0].message, /aws:profile/);
        assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
    });

    it("flags a resource's provider once per provider URN", async () => {
        const provider = { type: "pulumi:providers:aws", name: "default_7_48_0", props: { accessKey: KEY_ID, secretKey: SECRET } };
        const first = await runResource(policy, { type: BUCKET, name: "a", props: {}, provider });
        const second = await runResource(policy, { type: BUCKET, name: "b", props: {}, provider });
        const itself = await runResource(policy, {
            type: provider.type,
            name: provider.name,
            urn: urnOf(provider.type, provider.name),
            props: provider.props,
        });
        assert.equal(first.length, 1);
        assert.match(first[0].message, /default_7_48_0/);
        assert.deepEqual(second, []);
        assert.deepEqual(itself, []);
        const other = await runResource(policy, { type: BUCKET, props: {}, provider: { ...provider, name: "other" } });
        assert.equal(other.length, 1);
    });

    it("covers aws-native providers", async () => {
        const reports = await runResource(policy, {
            type: "pulumi:providers:aws-native",
            name: "native",
            props: { accessKey: KEY_ID, secretKey: SECRET, region: "us-west-2" },
        });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /aws-native:accessKey/);
    });

    it("counts unknown and secret keys as present", async () => {
        const unknown = await runResource(policy, {
            type: "pulumi:providers:aws",
            name: "p1",
            props: { accessKey: UNKNOWN, secretKey: UNKNOWN },
        });
        assert.equal(unknown.length, 1);
        assert.match(unknown[0].message, /not readable/);
        for (const raw of [false, true]) {
            resetReportedProviders();
            const secretKeys = await runResource(policy, {
                type: "pulumi:providers:aws",
                name: "p2",
                raw,
                props: { accessKey: secret(KEY_ID), secretKey: secret(SECRET) },
            });
            assert.equal(secretKeys.length, 1);
            assertNoSecretLeak([secretKeys[0].message], [SECRET], [KEY_ID]);
        }
    });

    it("passes providers using a profile, the environment, or another cloud", async () => {
        assert.deepEqual(
            await runResource(policy, { type: "pulumi:providers:aws", props: { profile: "deploy", region: "us-east-1" } }),
            [],
        );
        assert.deepEqual(
            await runResource(policy, {
                type: BUCKET,
                props: {},
                provider: { type: "pulumi:providers:aws", name: "d", props: { region: "us-east-1" } },
            }),
            [],
        );
        assert.deepEqual(await runResource(policy, { type: "pulumi:providers:gcp", props: { accessKey: KEY_ID, secretKey: SECRET } }), []);
        assert.deepEqual(await runResource(policy, { type: "pulumi:providers:aws", props: { accessKey: "", secretKey: null } }), []);
    });
});
