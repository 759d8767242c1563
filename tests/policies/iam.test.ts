import * as assert from "node:assert/strict";
import { noRootAccessKeyResource, restrictAssumeRoot } from "../../policies/iam";
import { UNKNOWN, runResource, secret } from "./helpers";

const AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
const DELETE = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials";
const CREATE_PASSWORD = "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword";

function doc(...statements: unknown[]) {
    return { Version: "2012-10-17", Statement: statements };
}

function allow(action: unknown, condition?: unknown, key = "Action") {
    return { Effect: "Allow", [key]: action, Resource: "*", ...(condition ? { Condition: condition } : {}) };
}

async function assumeRootReports(document: unknown, config: Record<string, unknown> = {}, asString = true) {
    return runResource(
        restrictAssumeRoot,
        { type: "aws:iam/policy:Policy", name: "p", props: { policy: asString ? JSON.stringify(document) : document } },
        config,
    );
}

describe("no-root-access-key-resource", () => {
    const cases: Array<[string, string]> = [
        ["aws:iam/accessKey:AccessKey", "user"],
        ["aws:iam/userLoginProfile:UserLoginProfile", "user"],
        ["aws:iam/signingCertificate:SigningCertificate", "userName"],
        ["aws:iam/sshKey:SshKey", "username"],
        ["aws:iam/serviceSpecificCredential:ServiceSpecificCredential", "userName"],
        ["aws:iam/user:User", "name"],
        ["aws-native:iam:User", "userName"],
    ];

    for (const [type, field] of cases) {
        it(`flags ${type} for a user named root (${field})`, async () => {
            for (const value of ["root", " Root ", "ROOT"]) {
                const reports = await runResource(noRootAccessKeyResource, { type, name: "r", props: { [field]: value } });
                assert.equal(reports.length, 1, value);
                assert.match(reports[0].message, /root/);
                assert.match(reports[0].message, /Fix:/);
            }
            assert.deepEqual(await runResource(noRootAccessKeyResource, { type, props: { [field]: "alice" } }), []);
            assert.deepEqual(await runResource(noRootAccessKeyResource, { type, props: { [field]: "rooted" } }), []);
        });
    }

    it("skips unknown names and reads secret-wrapped ones", async () => {
        assert.deepEqual(await runResource(noRootAccessKeyResource, { type: "aws:iam/accessKey:AccessKey", props: { user: UNKNOWN } }), []);
        const reports = await runResource(noRootAccessKeyResource, {
            type: "aws:iam/accessKey:AccessKey",
            raw: true,
            props: { user: secret("root") },
        });
        assert.equal(reports.length, 1);
    });

    it("ignores other types and odd values", async () => {
        assert.deepEqual(await runResource(noRootAccessKeyResource, { type: "aws:iam/role:Role", props: { name: "root" } }), []);
        for (const user of [null, 7, true, ["root"], { name: "root" }]) {
            assert.deepEqual(await runResource(noRootAccessKeyResource, { type: "aws:iam/accessKey:AccessKey", props: { user } }), []);
        }
    });
});

describe("restrict-assume-root", () => {
    it("flags sts:AssumeRoot without a task policy condition, directly and through wildcards", async () => {
        for (const action of [
            "sts:AssumeRoot",
            "sts:assumeroot",
            "sts:*",
            "sts:Assume*",
            "sts:AssumeR?ot",
            ["s3:GetObject", "sts:*Root"],
        ]) {
            const reports = await assumeRootReports(doc(allow(action)));
            assert.equal(reports.length, 1, JSON.stringify(action));
            assert.match(reports[0].message, /sts:TaskPolicyArn/);
            assert.match(reports[0].message, /statement 0/);
        }
    });

    it("flags NotAction that does not exclude it, passes NotAction that does", async () => {
        const flagged = await assumeRootReports(doc(allow(["iam:*"], undefined, "NotAction")));
        assert.equal(flagged.length, 1);
        assert.match(flagged[0].message, /NotAction/);
        assert.deepEqual(await assumeRootReports(doc(allow(["sts:*"], undefined, "NotAction"))), []);
    });

    it("flags a bare * only with includeFullWildcard", async () => {
        assert.deepEqual(await assumeRootReports(doc(allow("*"))), []);
        assert.equal((await assumeRootReports(doc(allow("*")), { includeFullWildcard: true })).length, 1);
    });

    it("passes a condition limited to the allowed task policies, in its operator variants", async () => {
        const conditions = [
            { StringEquals: { "sts:TaskPolicyArn": [AUDIT, DELETE] } },
            { ArnEquals: { "sts:TaskPolicyArn": AUDIT } },
            { StringLike: { "STS:taskpolicyarn": DELETE } },
            { "ForAnyValue:ArnLike": { "sts:TaskPolicyArn": [AUDIT] } },
            { StringEqualsIfExists: { "sts:TaskPolicyArn": AUDIT } },
            { StringEquals: { "sts:TaskPolicyArn": "arn:aws-cn:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } },
        ];
        for (const c of conditions) assert.deepEqual(await assumeRootReports(doc(allow("sts:AssumeRoot", c))), [], JSON.stringify(c));
    });

    it("flags conditions that do not restrict: other task policies, wildcards, negated operators", async () => {
        const conditions = [
            { StringEquals: { "sts:TaskPolicyArn": [AUDIT, CREATE_PASSWORD] } },
            { StringLike: { "sts:TaskPolicyArn": "arn:aws:iam::aws:policy/root-task/*" } },
            { StringLike: { "sts:TaskPolicyArn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredential?" } },
            { StringNotEquals: { "sts:TaskPolicyArn": CREATE_PASSWORD } },
            { StringEquals: { "aws:PrincipalOrgID": "o-123" } },
            { StringEquals: { "sts:TaskPolicyArn": [] } },
        ];
        for (const c of conditions) assert.equal((await assumeRootReports(doc(allow("sts:AssumeRoot", c)))).length, 1, JSON.stringify(c));
    });

    it("accepts allowedTaskPolicies as names or ARNs", async () => {
        const d = doc(allow("sts:AssumeRoot", { StringEquals: { "sts:TaskPolicyArn": CREATE_PASSWORD } }));
        assert.deepEqual(await assumeRootReports(d, { allowedTaskPolicies: ["IAMCreateRootUserPassword"] }), []);
        assert.deepEqual(await assumeRootReports(d, { allowedTaskPolicies: [CREATE_PASSWORD] }), []);
        const audit = doc(allow("sts:AssumeRoot", { StringEquals: { "sts:TaskPolicyArn": AUDIT } }));
        assert.equal((await assumeRootReports(audit, { allowedTaskPolicies: ["IAMDeleteRootUserCredentials"] })).length, 1);
    });

    it("ignores Deny statements and single-statement objects without AssumeRoot", async () => {
        assert.deepEqual(await assumeRootReports({ Statement: { Effect: "Deny", Action: "sts:*", Resource: "*" } }), []);
        assert.deepEqual(await assumeRootReports({ Statement: { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" } }), []);
        assert.equal(
            (await assumeRootReports({ Statement: { Sid: "One", Effect: "Allow", Action: "sts:AssumeRoot", Resource: "*" } }, {}, false))
                .length,
            1,
        );
    });

    it("reads every resource type's documents, aws and aws-native", async () => {
        const bad = doc(allow("sts:AssumeRoot"));
        const specs = [
            { type: "aws:iam/rolePolicy:RolePolicy", props: { policy: JSON.stringify(bad) } },
            { type: "aws:iam/userPolicy:UserPolicy", props: { policy: JSON.stringify(bad) } },
            { type: "aws:iam/groupPolicy:GroupPolicy", props: { policy: JSON.stringify(bad) } },
            {
                type: "aws:iam/role:Role",
                props: {
                    inlinePolicies: [
                        { name: "ok", policy: JSON.stringify(doc(allow("s3:*"))) },
                        { name: "x", policy: JSON.stringify(bad) },
                    ],
                },
            },
            { type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", props: { inlinePolicy: JSON.stringify(bad) } },
            { type: "aws-native:iam:ManagedPolicy", props: { policyDocument: bad } },
            { type: "aws-native:iam:Role", props: { policies: [{ policyName: "x", policyDocument: bad }] } },
            { type: "aws-native:iam:User", props: { policies: [{ policyName: "x", policyDocument: bad }] } },
            { type: "aws-native:iam:Group", props: { policies: [{ policyName: "x", policyDocument: JSON.stringify(bad) }] } },
            { type: "aws-native:iam:RolePolicy", props: { policyDocument: bad } },
            { type: "aws-native:iam:UserPolicy", props: { policyDocument: bad } },
            { type: "aws-native:iam:GroupPolicy", props: { policyDocument: bad } },
        ];
        for (const spec of specs) assert.equal((await runResource(restrictAssumeRoot, spec)).length, 1, spec.type);
        const role = await runResource(restrictAssumeRoot, specs[3]);
        assert.match(role[0].message, /inlinePolicies\[1\]\.policy/);
    });

    it("skips unknown documents, statements and conditions; reads secret-wrapped ones", async () => {
        assert.deepEqual(await runResource(restrictAssumeRoot, { type: "aws:iam/policy:Policy", props: { policy: UNKNOWN } }), []);
        assert.deepEqual(await assumeRootReports(doc(allow(UNKNOWN)), {}, false), []);
        assert.deepEqual(
            await assumeRootReports(doc(allow("sts:AssumeRoot", { StringEquals: { "sts:TaskPolicyArn": UNKNOWN } })), {}, false),
            [],
        );
        assert.deepEqual(await assumeRootReports({ Statement: UNKNOWN }, {}, false), []);
        assert.deepEqual(await runResource(restrictAssumeRoot, { type: "aws:iam/role:Role", props: { inlinePolicies: UNKNOWN } }), []);
        const reports = await runResource(restrictAssumeRoot, {
            type: "aws:iam/policy:Policy",
            raw: true,
            props: { policy: secret(JSON.stringify(doc(allow("sts:*")))) },
        });
        assert.equal(reports.length, 1);
    });

    it("survives invalid documents", async () => {
        for (const policy of [
            "{not json",
            "[]",
            "42",
            "null",
            7,
            true,
            [1, 2],
            { Statement: 5 },
            { Statement: [null, "x", { Action: 5, Effect: "Allow" }] },
        ]) {
            assert.deepEqual(
                await runResource(restrictAssumeRoot, { type: "aws:iam/policy:Policy", props: { policy } }),
                [],
                JSON.stringify(policy),
            );
        }
    });
});
