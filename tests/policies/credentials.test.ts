import * as assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { noHardcodedAwsCredentials as policy } from "../../policies/credentials";
import { EXAMPLE_KEY_ID, EXAMPLE_SECRET, KEY_ID, KEY_ID_ACCOUNT, SECRET, TEMP_KEY_ID, TEMP_KEY_ID_ACCOUNT } from "./fixtures";
import { UNKNOWN, assertNoSecretLeak, runResource, secret } from "./helpers";

const LAMBDA = "aws:lambda/function:Function";

function env(variables: Record<string, unknown>) {
    return { environment: { variables } };
}

describe("no-hardcoded-aws-credentials", () => {
    it("flags a key ID and its secret in Lambda environment variables, with paths, mask and account", async () => {
        const reports = await runResource(policy, {
            type: LAMBDA,
            name: "fn",
            props: env({ AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET }),
        });
        assert.equal(reports.length, 1);
        const m = reports[0].message;
        assert.equal(reports[0].enforcementLevel, undefined, "reported at the policy's own (mandatory) level");
        assert.match(
            m,
            /access key ID AKIA\*\*\*\*JRUX \(long-term key, belongs to AWS account 171436882533\) at environment\.variables\.AWS_ACCESS_KEY_ID/,
        );
        assert.match(m, /a secret access key at environment\.variables\.AWS_SECRET_ACCESS_KEY/);
        assert.match(m, /Secrets Manager/);
        assert.match(m, /SecureString/);
        assert.match(m, /Rotate/);
        assert.ok(m.includes(KEY_ID_ACCOUNT));
        assertNoSecretLeak([m], [SECRET], [KEY_ID]);
    });

    it("finds keys inside JSON container definitions", async () => {
        const containerDefinitions = JSON.stringify([
            {
                name: "app",
                environment: [
                    { name: "AWS_SECRET_ACCESS_KEY", value: SECRET },
                    { name: "ID", value: TEMP_KEY_ID },
                ],
            },
        ]);
        const reports = await runResource(policy, { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions } });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /containerDefinitions<json>\[0\]\.environment\[0\]\.value/);
        assert.match(reports[0].message, /temporary key, belongs to AWS account 609629065308/);
        assert.ok(reports[0].message.includes(TEMP_KEY_ID_ACCOUNT));
        assertNoSecretLeak([reports[0].message], [SECRET], [TEMP_KEY_ID]);
    });

    it("finds keys in base64 and gzipped user data", async () => {
        const script = `#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\n`;
        for (const userData of [Buffer.from(script).toString("base64"), gzipSync(script).toString("base64")]) {
            const reports = await runResource(policy, { type: "aws:ec2/instance:Instance", props: { userDataBase64: userData } });
            assert.equal(reports.length, 1);
            assert.match(reports[0].message, /userDataBase64<(base64|gzip)>/);
            assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
        }
    });

    it("checks aws-native resources the same way", async () => {
        const reports = await runResource(policy, {
            type: "aws-native:lambda:Function",
            props: { environment: { variables: { KEY: KEY_ID } } },
        });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /aws-native:lambda:Function/);
    });

    it("passes clean resources, identifiers that are not credentials, and hashes", async () => {
        const props = {
            tags: { Name: "web" },
            userId: "AIDASP2TPHJSQH3FJRUX",
            roleId: "AROASP2TPHJSQH3FJRUX",
            commit: "3f786850e387550fdab836ed7e6dc881de23001b",
            description: "a perfectly ordinary forty-character line!",
        };
        assert.deepEqual(await runResource(policy, { type: LAMBDA, props }), []);
    });

    it("lets documentation example keys pass by default and flags them when allowExampleKeys is false", async () => {
        const props = env({ AWS_ACCESS_KEY_ID: EXAMPLE_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET });
        assert.deepEqual(await runResource(policy, { type: LAMBDA, props }), []);
        const reports = await runResource(policy, { type: LAMBDA, props }, { allowExampleKeys: false });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /AKIA\*\*\*\*MPLE/);
    });

    it("skips access key outputs and provider config", async () => {
        assert.deepEqual(await runResource(policy, { type: "aws:iam/accessKey:AccessKey", props: { id: KEY_ID, secret: SECRET } }), []);
        assert.deepEqual(await runResource(policy, { type: "pulumi:providers:aws", props: { accessKey: KEY_ID, secretKey: SECRET } }), []);
    });

    it("allows secret stores by default, SSM only as SecureString, and scans them with an empty secretStoreTypes", async () => {
        const sv = {
            type: "aws:secretsmanager/secretVersion:SecretVersion",
            props: { secretString: JSON.stringify({ id: KEY_ID, secret: SECRET }) },
        };
        const secure = { type: "aws:ssm/parameter:Parameter", props: { type: "SecureString", value: KEY_ID } };
        const plain = { type: "aws:ssm/parameter:Parameter", props: { type: "String", value: KEY_ID } };
        const native = { type: "aws-native:secretsmanager:Secret", props: { secretString: KEY_ID } };
        assert.deepEqual(await runResource(policy, sv), []);
        assert.deepEqual(await runResource(policy, secure), []);
        assert.deepEqual(await runResource(policy, native), []);
        assert.equal((await runResource(policy, plain)).length, 1);
        for (const spec of [sv, secure, native]) {
            assert.equal((await runResource(policy, spec, { secretStoreTypes: [] })).length, 1, spec.type);
        }
    });

    it("still flags secret-marked values and says why", async () => {
        for (const raw of [false, true]) {
            const reports = await runResource(policy, {
                type: LAMBDA,
                raw,
                props: env({ AWS_SECRET_ACCESS_KEY: secret(SECRET), ID: secret(KEY_ID) }),
            });
            assert.equal(reports.length, 1, `raw=${raw}`);
            assert.match(reports[0].message, /Pulumi secret/);
            assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
        }
    });

    it("never flags unknown values", async () => {
        assert.deepEqual(
            await runResource(policy, { type: LAMBDA, props: env({ AWS_ACCESS_KEY_ID: UNKNOWN, AWS_SECRET_ACCESS_KEY: UNKNOWN }) }),
            [],
        );
        assert.deepEqual(await runResource(policy, { type: "aws:ssm/parameter:Parameter", props: { type: UNKNOWN, value: KEY_ID } }), []);
    });

    it("shows the path the user needs: long identifiers stay, a key ID used as a name is masked", async () => {
        const templateBody = JSON.stringify({
            Resources: { ApiHandler20240101Function: { Properties: { Environment: { Variables: { ID: KEY_ID } } } } },
        });
        const [r] = await runResource(policy, { type: "aws:cloudformation/stack:Stack", props: { templateBody } });
        assert.match(r.message, /at templateBody<json>\.Resources\.ApiHandler20240101Function\.Properties\.Environment\.Variables\.ID/);
        const [named] = await runResource(policy, { type: LAMBDA, props: env({ [KEY_ID]: SECRET }) });
        assert.match(named.message, /environment\.variables\["AKIA\*\*\*\*JRUX"\]/);
        assertNoSecretLeak([named.message], [SECRET], [KEY_ID]);
    });

    it("ignores malformed config values and uses defaults", async () => {
        const props = env({ AWS_ACCESS_KEY_ID: EXAMPLE_KEY_ID });
        assert.deepEqual(await runResource(policy, { type: LAMBDA, props }, { allowExampleKeys: "no", secretStoreTypes: "x" }), []);
    });
});
