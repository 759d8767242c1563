import { strict as assert } from "node:assert";
import { DescribeAggregateComplianceByConfigRulesCommand } from "@aws-sdk/client-config-service";
import { DeleteAccessKeyCommand, GenerateCredentialReportCommand } from "@aws-sdk/client-iam";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { AssumeRootCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createHandler } from "../../src/remediator/handler";
import { parseInvocation, parseQueueMessage, InvocationError } from "../../src/remediator/invocation";
import type { Settings } from "../../src/remediator/settings";
import {
    KEY_ONE,
    MEMBER,
    QUEUE_URL,
    SELF,
    awsMocks,
    complianceEvent,
    credentialReportCsv,
    daysAgo,
    deps,
    direct,
    fakeAccount,
    jsonBlock,
    lambdaContext,
    memoryLog,
    mockCredentialReport,
    publishedMessages,
    settings,
    sqsEvent,
    type Mocks,
} from "./helpers";

function handlerFor(s: Partial<Settings>) {
    const log = memoryLog();
    const d = deps(settings(s), log);
    return { log, deps: d, invoke: (e: unknown, ctx = lambdaContext()) => createHandler(() => d)(e, ctx) };
}

/** Every message body the reconcile put on the work queue, in order. */
function queued(mocks: Mocks): Record<string, unknown>[] {
    return mocks.sqs
        .commandCalls(SendMessageBatchCommand)
        .flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? "")));
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
        const result = direct(
            await handlerFor({ action: "delete-unused" }).invoke({ source: "rootguard.config-remediation", accountId: MEMBER }),
        );
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

    it("scheduled reconcile (organization): the access-key rule's NON_COMPLIANT accounts only, page by page, each enqueued once", async () => {
        const accounts = ["222222222222", "333333333333", "444444444444"];
        const row = (id: string, region: string, rule = "rootguard-iam-root-access-key-check") => ({
            ConfigRuleName: rule,
            AccountId: id,
            AwsRegion: region,
            Compliance: { ComplianceType: "NON_COMPLIANT" as const },
        });
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            const f = input.Filters ?? {};
            if (f.ConfigRuleName === "rootguard-iam-root-access-key-check" && f.ComplianceType === "NON_COMPLIANT") {
                if (!input.NextToken)
                    return {
                        AggregateComplianceByConfigRules: [row(accounts[0], "us-east-1"), row(accounts[1], "us-east-1")],
                        NextToken: "p2",
                    };
                // The same account again from another region, on the next page.
                return { AggregateComplianceByConfigRules: [row(accounts[0], "eu-west-1"), row(accounts[2], "us-east-1")] };
            }
            if (f.ConfigRuleName === "rootguard-iam-root-access-key-check")
                return { AggregateComplianceByConfigRules: [row(accounts[0], "us-east-1")] };
            // The own account's rows: other rules only (no organization copy of the access-key rule).
            return { AggregateComplianceByConfigRules: [row(SELF, "eu-west-1", "rootguard-root-account-mfa-enabled")] };
        });
        mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
        const h = handlerFor({ action: "delete-unused" });
        const result = direct(await h.invoke({ source: "rootguard.reconcile", cycle: "2026-11-22T12:00:00Z" }));
        // The reconcile only enqueues: no account is touched here.
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 0);
        assert.deepEqual(
            queued(mocks),
            accounts.map((accountId) => ({ source: "rootguard.account", accountId, cycle: "2026-11-22T12:00:00Z" })),
        );
        assert.equal(mocks.sqs.commandCalls(SendMessageBatchCommand)[0].args[0].input.QueueUrl, QUEUE_URL);
        assert.deepEqual(result.reconcile, {
            trigger: "reconcile (schedule)",
            cycle: "2026-11-22T12:00:00Z",
            rules: ["rootguard-iam-root-access-key-check"],
            unresolvedRules: [],
            nonCompliantAccounts: 3,
            enqueued: 3,
            pages: 2,
        });
        const listing = mocks.config
            .commandCalls(DescribeAggregateComplianceByConfigRulesCommand)
            .map((c) => c.args[0].input)
            .filter((i) => i.Filters?.ComplianceType);
        assert.deepEqual(listing[0].Filters, { ConfigRuleName: "rootguard-iam-root-access-key-check", ComplianceType: "NON_COMPLIANT" });
        assert.equal(listing[0].ConfigurationAggregatorName, "org-aggregator");
        assert.equal(h.deps.metrics.totals.AccountsEnqueued, 3);
    });

    it("organization rule: its generated OrgConfigRule-… name is read from the own account's rows, then filtered exactly", async () => {
        const generated = "OrgConfigRule-rootguard-iam-root-access-key-check-a1b2c3d4";
        const nc = (rule: string, id: string) => ({
            ConfigRuleName: rule,
            AccountId: id,
            AwsRegion: "eu-west-1",
            Compliance: { ComplianceType: "NON_COMPLIANT" as const },
        });
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            const f = input.Filters ?? {};
            if (f.AccountId === SELF && f.AwsRegion === "eu-west-1") {
                return {
                    AggregateComplianceByConfigRules: [
                        nc("OrgConfigRule-rootguard-root-account-mfa-enabled-zz99yy88", SELF),
                        nc("OrgConfigRule-rootguard-iam-root-access-key-check-extra-b2c3d4e5", SELF),
                        { ...nc(generated, SELF), Compliance: { ComplianceType: "COMPLIANT" as const } },
                    ],
                };
            }
            if (f.ConfigRuleName === generated && f.ComplianceType === "NON_COMPLIANT")
                return { AggregateComplianceByConfigRules: [nc(generated, MEMBER)] };
            if (f.ConfigRuleName) return { AggregateComplianceByConfigRules: [] };
            throw new Error(`unexpected unfiltered scan ${JSON.stringify(input)}`);
        });
        mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
        const result = direct(await handlerFor({}).invoke({ source: "rootguard.reconcile", cycle: "c-1" }));
        assert.deepEqual(result.reconcile?.rules, [generated]);
        assert.deepEqual(
            queued(mocks).map((m) => m.accountId),
            [MEMBER],
        );
        const filters = mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).map((c) => c.args[0].input.Filters);
        assert.ok(
            filters.every((f) => f?.ConfigRuleName !== undefined || f?.AccountId === SELF),
            "never a scan of every rule's rows",
        );
    });

    it("a rule the aggregator does not know: nothing enqueued, an ERROR log and a notification saying why and what to do", async () => {
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [] });
        const h = handlerFor({});
        const result = direct(await h.invoke({ source: "rootguard.reconcile", cycle: "c-1" }));
        assert.deepEqual(result.reconcile?.unresolvedRules, ["rootguard-iam-root-access-key-check"]);
        assert.equal(mocks.sqs.commandCalls(SendMessageBatchCommand).length, 0);
        assert.ok(h.log.entries.some((e) => e.level === "error" && e.message === "configured rule not found in the aggregator"));
        const [msg] = publishedMessages(mocks);
        assert.match(msg.subject, /rule rootguard-iam-root-access-key-check not found in org-aggregator/);
        assert.match(
            msg.message,
            /\nFailed: reading the non-compliant accounts of rootguard-iam-root-access-key-check\nCause: .*OrgConfigRule-rootguard-iam-root-access-key-check-<suffix>.*\nFix: /,
        );
    });

    it("a plain EventBridge Scheduled Event is a reconcile too, its time the cycle", async () => {
        mocks.config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .resolves({ AggregateComplianceByConfigRules: [{ ConfigRuleName: "rootguard-iam-root-access-key-check" }] });
        const result = direct(
            await handlerFor({}).invoke({
                source: "aws.events",
                "detail-type": "Scheduled Event",
                detail: {},
                id: "s-1",
                time: "2026-11-22T12:00:00Z",
            }),
        );
        assert.equal(result.kind, "reconcile");
        assert.equal(result.reconcile?.cycle, "2026-11-22T12:00:00Z");
        assert.equal(result.reconcile?.nonCompliantAccounts, 0);
    });

    it("enqueueing: entries SQS fails for its own reasons are sent again; a sender fault ends the reconcile with an error", async () => {
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
            AggregateComplianceByConfigRules: [MEMBER, "222222222222"].map((id) => ({
                ConfigRuleName: "rootguard-iam-root-access-key-check",
                AccountId: id,
                Compliance: { ComplianceType: "NON_COMPLIANT" as const },
            })),
        });
        mocks.sqs
            .on(SendMessageBatchCommand)
            .resolvesOnce({
                Successful: [{ Id: MEMBER, MessageId: "m", MD5OfMessageBody: "x" }],
                Failed: [{ Id: "222222222222", SenderFault: false, Code: "InternalError" }],
            })
            .resolves({ Successful: [], Failed: [] });
        await handlerFor({}).invoke({ source: "rootguard.reconcile", cycle: "c" });
        const sends = mocks.sqs.commandCalls(SendMessageBatchCommand).map((c) => (c.args[0].input.Entries ?? []).map((e) => e.Id));
        assert.deepEqual(sends, [[MEMBER, "222222222222"], ["222222222222"]]);

        mocks.sqs
            .on(SendMessageBatchCommand)
            .resolves({ Failed: [{ Id: MEMBER, SenderFault: true, Code: "InvalidParameterValue", Message: "bad" }] });
        await assert.rejects(
            handlerFor({}).invoke({ source: "rootguard.reconcile", cycle: "c2" }),
            /could not be put on the work queue: InvalidParameterValue: bad/,
        );
    });

    it("account mode: the reconcile enqueues its own account; the worker reads the credential report (polled) and sends manual steps", async () => {
        mockCredentialReport(mocks.iam, credentialReportCsv("true,2025-01-01T00:00:00+00:00,2026-03-01T10:00:00+00:00,us-east-1,ec2"), {
            keysPresent: 1,
            generatedAt: new Date("2026-11-22T11:00:00Z"),
            pendingStates: ["STARTED", "INPROGRESS"],
            notReadyOnce: true,
        });
        mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
        const h = handlerFor({ mode: "account", aggregatorName: undefined, action: "delete-unused" });
        await h.invoke({ source: "rootguard.reconcile", cycle: "c-7" });
        assert.deepEqual(queued(mocks), [{ source: "rootguard.account", accountId: SELF, cycle: "c-7" }]);
        const batch = (await h.invoke(sqsEvent([JSON.stringify(queued(mocks)[0])]))) as { batchItemFailures: unknown[] };
        assert.deepEqual(batch.batchItemFailures, []);
        assert.equal(mocks.iam.commandCalls(GenerateCredentialReportCommand).length, 4);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 0);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        const [msg] = publishedMessages(mocks);
        const json = jsonBlock(msg.message);
        assert.equal(json.accountId, SELF);
        assert.equal(json.inventory.method, "credential-report");
        assert.equal(json.inventory.reportGeneratedAt, "2026-11-22T11:00:00.000Z");
        assert.deepEqual(json.keys[0].lastUsed, { date: "2026-03-01T10:00:00.000Z", service: "ec2", region: "us-east-1" });
        assert.equal(json.keys[0].decision, "manual");
        assert.match(json.whyNoAutomation, /Account mode/);
        assert.match(
            msg.message,
            /- access key 1 \(Active\), created 2025-01-01, last used 2026-03-01 \(ec2, us-east-1\)\n {2}manual: last used 266 days ago: at least 45 days without use; automation cannot delete it here -> needs a person/,
        );
        assert.match(msg.message, /Under Access keys, choose Actions → Deactivate/);
    });

    it("account mode without a queue (a hand-made deployment): the reconcile checks its own account inline", async () => {
        mockCredentialReport(mocks.iam, credentialReportCsv("true,2025-01-01T00:00:00+00:00,N/A,N/A,N/A"), { keysPresent: 0 });
        const result = direct(
            await handlerFor({ mode: "account", aggregatorName: undefined, queueUrl: undefined }).invoke({ source: "rootguard.reconcile" }),
        );
        const json = result.accounts?.[0] as any;
        assert.equal(json.status, "clean");
        assert.match(json.inventory.notes[0], /predates their removal/);
        assert.equal(publishedMessages(mocks).length, 0);
    });

    it("account mode: GetCallerIdentity when there is no function ARN; events for other accounts are ignored", async () => {
        mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: SELF });
        const h = handlerFor({ mode: "account", aggregatorName: undefined });
        const result = direct(
            await h.invoke({ source: "rootguard.config-remediation", accountId: MEMBER }, { getRemainingTimeInMillis: () => 60_000 }),
        );
        assert.match(result.skipped ?? "", /acts only on its own account 999999999999/);
        assert.equal(mocks.sts.commandCalls(GetCallerIdentityCommand).length, 1);
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
    it("recognizes an SQS batch, and the two kinds of work-queue message", () => {
        const batch = sqsEvent(["{}"]);
        assert.equal(parseInvocation(batch).kind, "queue-batch");
        assert.deepEqual(parseQueueMessage(JSON.stringify({ source: "rootguard.account", accountId: MEMBER, cycle: "c" })), {
            kind: "account",
            accountId: MEMBER,
            cycle: "c",
        });
        const event = complianceEvent(MEMBER);
        assert.equal(parseQueueMessage(JSON.stringify(event)).kind, "compliance-change");
        assert.throws(() => parseQueueMessage("not json"), /not JSON/);
        assert.throws(() => parseQueueMessage(JSON.stringify({ source: "rootguard.account", accountId: "1", cycle: "c" })), /12-digit/);
        assert.throws(() => parseQueueMessage(JSON.stringify({ source: "rootguard.account", accountId: MEMBER })), /cycle is missing/);
        assert.throws(() => parseQueueMessage("[]"), /unrecognized work-queue message/);
        assert.deepEqual(parseInvocation({ source: "rootguard.reconcile", cycle: " 2026-11-22T12:00:00Z " }), {
            kind: "reconcile",
            trigger: "schedule",
            cycle: "2026-11-22T12:00:00Z",
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
