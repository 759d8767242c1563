import { strict as assert } from "node:assert";
import { DescribeAggregateComplianceByConfigRulesCommand } from "@aws-sdk/client-config-service";
import { DeleteAccessKeyCommand, GenerateCredentialReportCommand } from "@aws-sdk/client-iam";
import { AssumeRootCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createHandler } from "../../src/remediator/handler";
import { parseInvocation, InvocationError } from "../../src/remediator/invocation";
import type { Settings } from "../../src/remediator/settings";
import {
    KEY_ONE,
    MEMBER,
    SELF,
    awsMocks,
    credentialReportCsv,
    daysAgo,
    deps,
    fakeAccount,
    jsonBlock,
    lambdaContext,
    memoryLog,
    mockCredentialReport,
    publishedMessages,
    settings,
    type Mocks,
} from "./helpers";

function handlerFor(s: Partial<Settings>) {
    const log = memoryLog();
    const d = deps(settings(s), log);
    return { log, invoke: (e: unknown, ctx = lambdaContext()) => createHandler(() => d)(e, ctx) };
}

describe("remediator entry paths", () => {
    let mocks: Mocks;
    beforeEach(() => {
        mocks = awsMocks();
    });
    afterEach(() => mocks.restore());

    it("SSM Automation (Config Remediate button) → that member account", async () => {
        const account = fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(400), lastUsed: { date: daysAgo(100), service: "s3", region: "us-east-1" } },
        ]);
        const result = await handlerFor({ action: "delete-unused" }).invoke({ source: "rootguard.config-remediation", accountId: MEMBER });
        assert.equal(result.kind, "config-remediation");
        assert.equal(account.keys.size, 0);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand)[0].args[0].input.TargetPrincipal, MEMBER);
        const json = jsonBlock(publishedMessages(mocks)[0].message);
        assert.equal(json.trigger, "Config remediation (SSM Automation)");
    });

    it("SSM Automation with a bad account ID fails loudly", async () => {
        await assert.rejects(
            handlerFor({}).invoke({ source: "rootguard.config-remediation", accountId: "12345" }),
            /accountId must be a 12-digit account ID/,
        );
    });

    it("scheduled reconcile (organization): every NON_COMPLIANT account from the aggregator, every page, each once", async () => {
        const accounts = ["222222222222", "333333333333", "444444444444"];
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            if (input.Filters?.ComplianceType !== "NON_COMPLIANT") return { AggregateComplianceByConfigRules: [{ ConfigRuleName: "x" }] };
            const page = (id: string, region: string) => ({
                ConfigRuleName: "iam-root-access-key-check",
                AccountId: id,
                AwsRegion: region,
                Compliance: { ComplianceType: "NON_COMPLIANT" },
            });
            if (!input.NextToken)
                return {
                    AggregateComplianceByConfigRules: [page(accounts[0], "us-east-1"), page(accounts[1], "us-east-1")],
                    NextToken: "p2",
                };
            // The same account again from another region, on the next page.
            return { AggregateComplianceByConfigRules: [page(accounts[0], "eu-west-1"), page(accounts[2], "us-east-1")] };
        });
        fakeAccount(mocks, []);
        const result = await handlerFor({ action: "delete-unused" }).invoke({ source: "rootguard.reconcile" });
        const targets = mocks.sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input.TargetPrincipal);
        assert.deepEqual(targets.sort(), accounts);
        assert.equal(result.summary?.nonCompliantAccounts, 3);
        assert.equal(result.summary?.completed, 3);
        assert.deepEqual(result.summary?.notStarted, []);
        const inputs = mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).map((c) => c.args[0].input);
        assert.equal(inputs[0].ConfigurationAggregatorName, "org-aggregator");
        assert.deepEqual(inputs[0].Filters, { ConfigRuleName: "iam-root-access-key-check", ComplianceType: "NON_COMPLIANT" });
    });

    it("scheduled reconcile finds organization rules under their member-account names", async () => {
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            if (input.Filters?.ConfigRuleName) return { AggregateComplianceByConfigRules: [] };
            return {
                AggregateComplianceByConfigRules: [
                    {
                        ConfigRuleName: "OrgConfigRule-iam-root-access-key-check-a1b2c3d4",
                        AccountId: MEMBER,
                        AwsRegion: "us-east-1",
                        Compliance: { ComplianceType: "NON_COMPLIANT" },
                    },
                    {
                        ConfigRuleName: "some-other-rule",
                        AccountId: "555555555555",
                        AwsRegion: "us-east-1",
                        Compliance: { ComplianceType: "NON_COMPLIANT" },
                    },
                ],
            };
        });
        fakeAccount(mocks, []);
        const result = await handlerFor({}).invoke({ source: "rootguard.reconcile" });
        assert.deepEqual(
            mocks.sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input.TargetPrincipal),
            [MEMBER],
        );
        assert.equal(result.summary?.completed, 1);
    });

    it("a plain EventBridge Scheduled Event is a reconcile too", async () => {
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [] });
        const result = await handlerFor({}).invoke({
            source: "aws.events",
            "detail-type": "Scheduled Event",
            detail: {},
            id: "s-1",
            time: "2026-11-22T12:00:00Z",
        });
        assert.equal(result.kind, "reconcile");
        assert.equal(result.summary?.nonCompliantAccounts, 0);
    });

    it("scheduled reconcile in account mode: the credential report, polled while in progress; manual steps", async () => {
        mockCredentialReport(mocks.iam, credentialReportCsv("true,2025-01-01T00:00:00+00:00,2026-03-01T10:00:00+00:00,us-east-1,ec2"), {
            keysPresent: 1,
            generatedAt: new Date("2026-11-22T11:00:00Z"),
            pendingStates: ["STARTED", "INPROGRESS"],
            notReadyOnce: true,
        });
        const result = await handlerFor({ mode: "account", aggregatorName: undefined, action: "delete-unused" }).invoke({
            source: "rootguard.reconcile",
        });
        assert.equal(mocks.iam.commandCalls(GenerateCredentialReportCommand).length, 4);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 0);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        const json = result.accounts?.[0] as any;
        assert.equal(json.accountId, SELF);
        assert.equal(json.inventory.method, "credential-report");
        assert.equal(json.inventory.reportGeneratedAt, "2026-11-22T11:00:00.000Z");
        assert.deepEqual(json.keys[0].lastUsed, { date: "2026-03-01T10:00:00.000Z", service: "ec2", region: "us-east-1" });
        assert.equal(json.keys[0].decision, "manual");
        assert.match(json.whyNoAutomation, /Account mode/);
        const [msg] = publishedMessages(mocks);
        assert.match(
            msg.message,
            /- access key 1 \(Active\), created 2025-01-01, last used 2026-03-01 \(ec2, us-east-1\)\n {2}manual: last used 266 days ago: at least 45 days without use; automation cannot delete it here -> needs a person/,
        );
        assert.match(msg.message, /Under Access keys, choose Actions → Deactivate/);
    });

    it("account mode: GetCallerIdentity when there is no function ARN; events for other accounts are ignored", async () => {
        mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: SELF });
        const h = handlerFor({ mode: "account", aggregatorName: undefined });
        const result = await h.invoke(
            { source: "rootguard.config-remediation", accountId: MEMBER },
            { getRemainingTimeInMillis: () => 60_000 },
        );
        assert.match(result.skipped ?? "", /acts only on its own account 999999999999/);
        assert.equal(mocks.sts.commandCalls(GetCallerIdentityCommand).length, 1);
    });

    it("account mode: the credential report and live summary disagree → the live summary wins, noted", async () => {
        mockCredentialReport(mocks.iam, credentialReportCsv("true,2025-01-01T00:00:00+00:00,N/A,N/A,N/A"), { keysPresent: 0 });
        const result = await handlerFor({ mode: "account", aggregatorName: undefined }).invoke({ source: "rootguard.reconcile" });
        const json = result.accounts?.[0] as any;
        assert.equal(json.status, "clean");
        assert.match(json.inventory.notes[0], /predates their removal/);
        assert.equal(publishedMessages(mocks).length, 0);
    });
});

describe("remediator invocation parsing", () => {
    it("recognizes the three invocations and the scheduled event", () => {
        assert.deepEqual(parseInvocation({ source: "rootguard.reconcile" }), { kind: "reconcile", trigger: "rootguard.reconcile" });
        assert.deepEqual(parseInvocation({ source: "aws.events", "detail-type": "Scheduled Event" }), {
            kind: "reconcile",
            trigger: "schedule",
        });
        assert.deepEqual(parseInvocation({ source: "rootguard.config-remediation", accountId: [MEMBER] }), {
            kind: "config-remediation",
            accountId: MEMBER,
        });
        const e = parseInvocation({
            id: "e1",
            source: "aws.config",
            "detail-type": "Config Rules Compliance Change",
            detail: {
                awsAccountId: MEMBER,
                resourceId: "AWS::::Account",
                resourceType: "AWS::::Account",
                newEvaluationResult: { complianceType: "NON_COMPLIANT" },
            },
        });
        assert.deepEqual(e, {
            kind: "compliance-change",
            accountId: MEMBER,
            eventId: "e1",
            time: undefined,
            ruleName: undefined,
            complianceType: "NON_COMPLIANT",
        });
    });
    it("ignores other resource types and rejects unknown payloads with the accepted shapes", () => {
        assert.equal(
            parseInvocation({
                source: "aws.config",
                "detail-type": "Config Rules Compliance Change",
                detail: { resourceType: "AWS::S3::Bucket" },
            }).kind,
            "ignored",
        );
        assert.throws(
            () => parseInvocation({ hello: 1 }),
            (err: Error) => err instanceof InvocationError && /rootguard\.reconcile/.test(err.message),
        );
        assert.throws(() => parseInvocation(null), InvocationError);
        assert.throws(
            () => parseInvocation({ source: "aws.config", "detail-type": "Config Rules Compliance Change", detail: {} }),
            /names no 12-digit account/,
        );
    });
});
