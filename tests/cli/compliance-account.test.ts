import { ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE } from "../../src/core/aws-facts";
import * as assert from "node:assert/strict";
import {
    ConfigServiceClient,
    DescribeComplianceByConfigRuleCommand,
    GetComplianceDetailsByConfigRuleCommand,
    NoSuchConfigRuleException,
    type GetComplianceDetailsByConfigRuleCommandInput,
} from "@aws-sdk/client-config-service";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { runCompliance } from "../../src/cli/compliance/command";
import { UserError } from "../../src/cli/errors";
import { awsError, rejection, testDeps } from "./compliance-helpers";

const ACCOUNT = "123456789012";
// The default rule names of rootguard's stacks (namePrefix "rootguard").
const KEY_RULE = ROOT_ACCESS_KEY_RULE.defaultName;
const MFA_RULE = ROOT_MFA_RULE.defaultName;
const HW_RULE = ROOT_HARDWARE_MFA_RULE.defaultName;

function result(rule: string, compliance: string, recorded: string, resourceType = "AWS::::Account", resourceId = ACCOUNT) {
    return {
        EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: resourceType, ResourceId: resourceId },
        },
        ComplianceType: compliance as "COMPLIANT",
        ResultRecordedTime: new Date(recorded),
        ConfigRuleInvokedTime: new Date(recorded),
    };
}

describe("compliance: single account (aws-sdk-client-mock)", () => {
    // Created in before(), not at load: mockClient patches every instance of the class, and other test
    // files loaded into the same mocha process must keep their real clients.
    let config: AwsClientStub<ConfigServiceClient>;
    let sts: AwsClientStub<STSClient>;

    before(() => {
        config = mockClient(ConfigServiceClient);
        sts = mockClient(STSClient);
    });

    beforeEach(() => {
        config.reset();
        sts.reset();
        sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor` });
    });

    after(() => {
        config.restore();
        sts.restore();
    });

    function describeRules(statuses: Record<string, string>, missing: string[] = []): void {
        config.on(DescribeComplianceByConfigRuleCommand).callsFake((input: { ConfigRuleNames?: string[] }) => {
            const name = input.ConfigRuleNames?.[0] ?? "";
            if (missing.includes(name)) {
                throw new NoSuchConfigRuleException({
                    message: `The ConfigRule '${name}' provided in the request is invalid.`,
                    $metadata: {},
                });
            }
            return {
                ComplianceByConfigRules: [{ ConfigRuleName: name, Compliance: { ComplianceType: statuses[name] ?? "INSUFFICIENT_DATA" } }],
            };
        });
    }

    it("reads every page of every rule, asks for NOT_APPLICABLE, and reports per rule", async () => {
        describeRules({ [KEY_RULE]: "NON_COMPLIANT", [MFA_RULE]: "COMPLIANT", [HW_RULE]: "INSUFFICIENT_DATA" });
        const pages: Record<string, { EvaluationResults: ReturnType<typeof result>[]; NextToken?: string }> = {
            [`${KEY_RULE}:`]: {
                EvaluationResults: [result(KEY_RULE, "NON_COMPLIANT", "2026-11-20T10:00:00Z", "AWS::S3::Bucket", "some-bucket")],
                NextToken: "p2",
            },
            [`${KEY_RULE}:p2`]: { EvaluationResults: [], NextToken: "p3" },
            [`${KEY_RULE}:p3`]: { EvaluationResults: [result(KEY_RULE, "NON_COMPLIANT", "2026-11-21T10:00:00Z")] },
            [`${MFA_RULE}:`]: { EvaluationResults: [result(MFA_RULE, "COMPLIANT", "2026-11-21T11:00:00Z")] },
            [`${HW_RULE}:`]: { EvaluationResults: [] },
        };
        config.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: GetComplianceDetailsByConfigRuleCommandInput) => {
            const page = pages[`${input.ConfigRuleName}:${input.NextToken ?? ""}`];
            assert.ok(page, `unexpected page ${input.ConfigRuleName} ${input.NextToken}`);
            return page;
        });

        const deps = testDeps();
        const report = await runCompliance({ json: true }, deps);

        const detailCalls = config.commandCalls(GetComplianceDetailsByConfigRuleCommand);
        assert.equal(detailCalls.length, 5, "three pages for the key rule, one each for the others");
        for (const call of detailCalls) {
            assert.deepEqual(call.args[0].input.ComplianceTypes, ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
        }
        assert.deepEqual(report.source, { mode: "account", accountId: ACCOUNT, region: "eu-west-1" });
        assert.deepEqual(
            report.evaluations.map((e) => [e.rule, e.compliance, e.lastEvaluated]),
            [
                [KEY_RULE, "NON_COMPLIANT", "2026-11-21T10:00:00.000Z"],
                // No result yet: the rule's own verdict, no time.
                [HW_RULE, "INSUFFICIENT_DATA", null],
                [MFA_RULE, "COMPLIANT", "2026-11-21T11:00:00.000Z"],
            ],
        );
        assert.ok(report.evaluations.every((e) => e.accountId === ACCOUNT && e.region === "eu-west-1"));
        assert.deepEqual(JSON.parse(deps.stdout.text), report);
    });

    it("uses --region for both clients and --rule instead of the defaults", async () => {
        describeRules({ custom: "COMPLIANT" });
        config
            .on(GetComplianceDetailsByConfigRuleCommand)
            .resolves({ EvaluationResults: [result("custom", "COMPLIANT", "2026-11-21T10:00:00Z")] });
        const regions: (string | undefined)[] = [];
        const base = testDeps();
        const deps = testDeps({
            configClient: (r) => (regions.push(r), base.configClient(r)),
            stsClient: (r) => (regions.push(r), base.stsClient(r)),
        });
        const report = await runCompliance({ region: "ap-south-1", rule: ["custom"], json: true }, deps);
        assert.deepEqual(regions, ["ap-south-1", "ap-south-1"]);
        assert.deepEqual(report.rules, ["custom"]);
        assert.equal(report.source.region, "ap-south-1");
        assert.deepEqual(
            config.commandCalls(DescribeComplianceByConfigRuleCommand).map((c) => c.args[0].input.ConfigRuleNames),
            [["custom"]],
        );
    });

    it("skips optional default rules that are not deployed and says so", async () => {
        describeRules({ [KEY_RULE]: "COMPLIANT" }, [MFA_RULE, HW_RULE]);
        config
            .on(GetComplianceDetailsByConfigRuleCommand)
            .resolves({ EvaluationResults: [result(KEY_RULE, "COMPLIANT", "2026-11-21T10:00:00Z")] });
        const deps = testDeps();
        const report = await runCompliance({}, deps);
        assert.deepEqual(report.rulesNotFound, [MFA_RULE, HW_RULE]);
        assert.equal(report.evaluations.length, 1);
        assert.match(deps.stdout.text, new RegExp(`Not deployed, skipped: ${MFA_RULE}, ${HW_RULE}`));
    });

    it("fails with one actionable line when the access-key rule is not deployed", async () => {
        describeRules({}, [KEY_RULE]);
        const err = await rejection(runCompliance({}, testDeps()));
        assert.ok(err instanceof UserError);
        assert.equal(err.message.split("\n").length, 1);
        assert.match(err.message, new RegExp(`Config rule "${KEY_RULE}" is not deployed in eu-west-1: .*--region.*--rule`));
        // The AWS error stays attached: callers decide on it, not on the wording.
        assert.ok(err.cause instanceof NoSuchConfigRuleException);
    });

    it("fails when a rule named with --rule is not deployed", async () => {
        describeRules({}, ["mine"]);
        const err = await rejection(runCompliance({ rule: ["mine"] }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, /Config rule "mine" is not deployed/);
    });

    it("turns AccessDenied into the permissions to grant", async () => {
        config
            .on(DescribeComplianceByConfigRuleCommand)
            .rejects(awsError("AccessDeniedException", "User: arn:aws:iam::123456789012:user/x is not authorized", 400));
        const err = await rejection(runCompliance({}, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(
            err.message,
            /^access denied to config:DescribeComplianceByConfigRule in eu-west-1: the caller needs .*config:GetComplianceDetailsByConfigRule/,
        );
    });

    it("turns STS AccessDenied (403) into one line too", async () => {
        sts.on(GetCallerIdentityCommand).rejects(awsError("AccessDenied", "denied", 403));
        const err = await rejection(runCompliance({}, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, /^access denied to sts:GetCallerIdentity/);
    });

    it("reports missing credentials as one line", async () => {
        sts.on(GetCallerIdentityCommand).rejects(
            Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
        );
        const err = await rejection(runCompliance({}, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, /^no AWS credentials found: set AWS_PROFILE/);
    });

    it("reports expired credentials as one line", async () => {
        sts.on(GetCallerIdentityCommand).rejects(awsError("ExpiredToken", "The security token included in the request is expired"));
        const err = await rejection(runCompliance({}, testDeps()));
        assert.match(err.message, /^AWS rejected the credentials \(ExpiredToken\)/);
    });

    it("stops on a NextToken that repeats instead of looping", async () => {
        describeRules({ [KEY_RULE]: "COMPLIANT" });
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [], NextToken: "same" });
        const err = await rejection(runCompliance({ rule: [KEY_RULE] }, testDeps()));
        assert.match(err.message, /same NextToken twice/);
    });

    it("never lets a key id from an annotation through", async () => {
        describeRules({ [KEY_RULE]: "NON_COMPLIANT" });
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
            EvaluationResults: [
                { ...result(KEY_RULE, "NON_COMPLIANT", "2026-11-21T10:00:00Z"), Annotation: "root key AKIASP2TPHJSQH3FJRUX is active" },
            ],
        });
        const deps = testDeps();
        await runCompliance({ rule: [KEY_RULE], json: true }, deps);
        assert.doesNotMatch(deps.stdout.text, /AKIASP2TPHJSQH3FJRUX/);
        assert.match(deps.stdout.text, /AKIA\*\*\*\*JRUX/);
    });
});
