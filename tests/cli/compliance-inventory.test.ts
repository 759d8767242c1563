/**
 * `--inventory` through the remediator's own inventory core (src/remediator/inventory.ts), with the AWS
 * clients mocked underneath it: AssumeRoot for member accounts, the credential report for the caller's account.
 */
import * as assert from "node:assert/strict";
import {
    ConfigServiceClient,
    DescribeAggregateComplianceByConfigRulesCommand,
    DescribeComplianceByConfigRuleCommand,
    GetAggregateComplianceDetailsByConfigRuleCommand,
    GetComplianceDetailsByConfigRuleCommand,
} from "@aws-sdk/client-config-service";
import { GetAccessKeyLastUsedCommand, GetAccountSummaryCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { AssumeRootCommand, GetCallerIdentityCommand, STSClient, type AssumeRootCommandInput } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { runCompliance } from "../../src/cli/compliance/command";
import { remediatorInventory } from "../../src/cli/compliance/remediator-inventory";
import { renderHtml } from "../../src/cli/compliance/html";
import { credentialReportCsv, mockCredentialReport } from "../remediator/helpers";
import { awsError, FAKE_CREDENTIALS, testDeps } from "./compliance-helpers";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const DENIED = "333333333333";
// Key-shaped on purpose (valid prefix and alphabet): it must never come out unmasked.
const MEMBER_KEY = "AKIASP2TPHJSQH3FJRUX";
const KEY_RULE = "iam-root-access-key-check";

const CSV = credentialReportCsv("true,2020-05-06T07:08:09+00:00,2026-11-20T10:00:00+00:00,us-east-1,ec2", { account: MANAGEMENT });

describe("compliance --inventory (the remediator's inventory core, mocked AWS)", () => {
    // Created in before(), not at load: mockClient patches every instance of the class, and other test
    // files loaded into the same mocha process must keep their real clients.
    let config: AwsClientStub<ConfigServiceClient>;
    let sts: AwsClientStub<STSClient>;
    let iam: AwsClientStub<IAMClient>;

    before(() => {
        config = mockClient(ConfigServiceClient);
        sts = mockClient(STSClient);
        iam = mockClient(IAMClient);
    });

    beforeEach(() => {
        config.reset();
        sts.reset();
        iam.reset();
        mockCredentialReport(iam, CSV, { keysPresent: 1, generatedAt: new Date("2026-11-22T22:00:00Z") });
        iam.on(ListAccessKeysCommand).resolves({
            AccessKeyMetadata: [{ AccessKeyId: MEMBER_KEY, Status: "Active", CreateDate: new Date("2021-02-03T04:05:06Z") }],
        });
        iam.on(GetAccessKeyLastUsedCommand).resolves({
            AccessKeyLastUsed: { LastUsedDate: new Date("2026-09-30T12:00:00Z"), ServiceName: "s3", Region: "eu-west-1" },
        });
        sts.on(AssumeRootCommand).callsFake((input: AssumeRootCommandInput) => {
            assert.equal(input.TaskPolicyArn?.arn, "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials");
            assert.ok((input.DurationSeconds ?? 0) <= 900);
            if (input.TargetPrincipal === DENIED) throw awsError("AccessDenied", "not authorized to perform sts:AssumeRoot", 403);
            return {
                Credentials: {
                    AccessKeyId: "ASIAEXAMPLESESSION00",
                    SecretAccessKey: "session-secret",
                    SessionToken: "token",
                    Expiration: new Date(),
                },
            };
        });
    });

    after(() => {
        config.restore();
        sts.restore();
        iam.restore();
    });

    function deps() {
        return testDeps({
            inventory: remediatorInventory((region) => ({
                sts: new STSClient({ region, credentials: FAKE_CREDENTIALS }),
                iam: new IAMClient({ region, credentials: FAKE_CREDENTIALS }),
                iamWithCredentials: (c) => new IAMClient({ region, credentials: c }),
            })),
        });
    }

    it("organization: members through AssumeRoot (audit task), the caller's own account from its credential report, failures per account", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ Account: MANAGEMENT });
        config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
            AggregateComplianceByConfigRules: [MANAGEMENT, MEMBER, DENIED].map((a) => ({
                ConfigRuleName: `OrgConfigRule-${KEY_RULE}-abc123`,
                AccountId: a,
                AwsRegion: "us-east-1",
                Compliance: { ComplianceType: "NON_COMPLIANT" as const },
            })),
        });
        config.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({ AggregateEvaluationResults: [] });

        const d = deps();
        const report = await runCompliance({ aggregator: "org", region: "us-east-1", rule: [KEY_RULE], inventory: true, json: true }, d);

        assert.deepEqual(
            sts
                .commandCalls(AssumeRootCommand)
                .map((c) => c.args[0].input.TargetPrincipal)
                .sort(),
            [MEMBER, DENIED],
            "AssumeRoot only into members, never the caller's own account",
        );
        const byAccount = new Map(report.inventory!.map((i) => [i.accountId, i]));
        assert.deepEqual(byAccount.get(MEMBER), {
            accountId: MEMBER,
            method: "assume-root",
            keys: [
                {
                    keyId: "AKIA****JRUX",
                    status: "Active",
                    created: "2021-02-03T04:05:06.000Z",
                    lastUsed: "2026-09-30T12:00:00.000Z",
                    lastUsedService: "s3",
                    lastUsedRegion: "eu-west-1",
                },
            ],
        });
        assert.deepEqual(byAccount.get(MANAGEMENT)!.keys, [
            {
                keyId: "access key 1",
                status: "Active",
                created: "2020-05-06T07:08:09.000Z",
                lastUsed: "2026-11-20T10:00:00.000Z",
                lastUsedService: "ec2",
                lastUsedRegion: "us-east-1",
            },
        ]);
        assert.equal(byAccount.get(MANAGEMENT)!.method, "credential-report");
        const denied = byAccount.get(DENIED)!;
        assert.deepEqual(denied.keys, []);
        assert.match(denied.error!, /^AssumeRoot IAMAuditRootUserCredentials failed \(AccessDenied\): not authorized/);

        for (const text of [d.stdout.text, renderHtml(report)]) {
            assert.ok(!text.includes(MEMBER_KEY), "the full key id never leaves the process");
            assert.ok(!text.includes("session-secret"));
        }
    });

    it("single account: the caller's credential report, shown under the table", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ Account: MANAGEMENT });
        config
            .on(DescribeComplianceByConfigRuleCommand)
            .resolves({ ComplianceByConfigRules: [{ ConfigRuleName: KEY_RULE, Compliance: { ComplianceType: "NON_COMPLIANT" } }] });
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
        const d = deps();
        await runCompliance({ rule: [KEY_RULE], inventory: true }, d);
        assert.equal(sts.commandCalls(AssumeRootCommand).length, 0);
        assert.match(
            d.stdout.text,
            /Root access keys\nACCOUNT {7}KEY {11}STATUS {2}CREATED {12}LAST USED\n111111111111 {2}access key 1 {2}Active {2}2020-05-06 07:08Z {2}2026-11-20 10:00Z \(ec2, us-east-1\)\n/,
        );
    });

    it("a failing credential report is reported for that account, not fatal", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ Account: MANAGEMENT });
        config
            .on(DescribeComplianceByConfigRuleCommand)
            .resolves({ ComplianceByConfigRules: [{ ConfigRuleName: KEY_RULE, Compliance: { ComplianceType: "COMPLIANT" } }] });
        config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
        iam.on(GetAccountSummaryCommand).rejects(awsError("AccessDenied", "not authorized to perform iam:GetAccountSummary", 403));
        const d = deps();
        const report = await runCompliance({ rule: [KEY_RULE], inventory: true }, d);
        assert.match(report.inventory![0].error!, /^credential report failed \(AccessDenied\)/);
        // What to do, once per distinct advice, with the accounts it concerns.
        assert.match(d.stdout.text, /\nInventory notes:\n- Grant .* \(1 account: 111111111111\)\n/);
        assert.match(d.stdout.text, /111111111111 {2}- +unknown {2}- +inventory failed: credential report failed \(AccessDenied\)/);
    });
});
