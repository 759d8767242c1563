import { strict as assert } from "node:assert";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DeleteAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { PublishCommand, SNSServiceException } from "@aws-sdk/client-sns";
import { AssumeRootCommand, STSServiceException } from "@aws-sdk/client-sts";
import type { SQSBatchResponse } from "aws-lambda";
import { createHandler } from "../../src/remediator/handler";
import { METRICS_NAMESPACE, METRICS_SERVICE, powertoolsMetrics } from "../../src/remediator/metrics";
import type { Settings } from "../../src/remediator/settings";
import {
    KEY_ONE,
    MEMBER,
    SESSION,
    awsMocks,
    captureStdout,
    complianceEvent,
    daysAgo,
    deps,
    fakeAccount,
    jsonBlock,
    lambdaContext,
    memoryLog,
    publishedMessages,
    settings,
    sqsEvent,
    type Mocks,
} from "./helpers";

const OTHER = "222222222222";
const stale = { date: daysAgo(200), service: "iam", region: "eu-west-1" };
const message = (accountId: string, cycle = "2026-11-22T12:00:00Z") => JSON.stringify({ source: "rootguard.account", accountId, cycle });
const throttled = () =>
    new STSServiceException({
        name: "ThrottlingException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
        message: "Rate exceeded",
    });

function container(s: Partial<Settings> = {}) {
    const log = memoryLog();
    const d = deps(settings({ action: "delete-unused", ...s }), log);
    const handler = createHandler(() => d);
    return {
        log,
        deps: d,
        batch: async (bodies: string[], opts: { receiveCount?: number; ids?: string[] } = {}) =>
            (await handler(sqsEvent(bodies, opts), lambdaContext())) as SQSBatchResponse,
    };
}

const failedIds = (r: SQSBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier);

describe("remediator worker (work-queue batches)", () => {
    let mocks: Mocks;
    beforeEach(() => {
        mocks = awsMocks();
    });
    afterEach(() => mocks.restore());

    it("a throttled account fails alone (partial batch response), is not e-mailed yet, and succeeds on redelivery", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        let throttles = 1;
        mocks.sts.on(AssumeRootCommand).callsFake(async (input) => {
            if (input.TargetPrincipal === OTHER && throttles-- > 0) throw throttled();
            return { Credentials: SESSION };
        });
        const c = container();
        const first = await c.batch([message(MEMBER), message(OTHER)], { ids: ["a", "b"] });
        assert.deepEqual(failedIds(first), ["b"]);
        assert.deepEqual(
            publishedMessages(mocks).map((m) => m.attributes.accountId),
            [MEMBER],
        );
        assert.equal(c.deps.metrics.totals.AccountsNotReached, undefined, "a retried attempt is not counted");
        assert.ok(c.log.entries.some((e) => e.message === "account not reached; will retry" && e.attributes?.accountId === OTHER));

        // Redelivered after the visibility timeout (receive 2); the first account's key was deleted once only.
        account.keys.set(KEY_ONE, { id: KEY_ONE, created: daysAgo(400), lastUsed: stale });
        const second = await c.batch([message(OTHER)], { ids: ["b"], receiveCount: 2 });
        assert.deepEqual(failedIds(second), []);
        assert.deepEqual(
            publishedMessages(mocks).map((m) => m.attributes.accountId),
            [MEMBER, OTHER],
        );
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 2);
        assert.equal(c.deps.metrics.totals.AccountsChecked, 2);
        assert.equal(c.deps.metrics.totals.RootKeysDeleted, 2);
    });

    it("still failing on the last delivery: e-mailed with failure, cause and fix, counted not reached, then dead-lettered", async () => {
        mocks.sts.on(AssumeRootCommand).rejects(throttled());
        const c = container();
        const r = await c.batch([message(MEMBER)], { ids: ["a"], receiveCount: 3 });
        assert.deepEqual(failedIds(r), ["a"], "failed, so SQS moves it to the dead-letter queue");
        const [msg] = publishedMessages(mocks);
        assert.match(msg.subject, /account 111111111111 not reached \(dead-letter queue\)/);
        assert.match(msg.message, /could not be checked after 3 attempts/);
        assert.match(
            msg.message,
            /\nFailed: AssumeRoot IAMAuditRootUserCredentials \(throttled\)\nCause: ThrottlingException: Rate exceeded\nFix: /,
        );
        assert.match(msg.message, /Start DLQ redrive/);
        assert.equal(msg.attributes.status, "not-reached");
        assert.equal(c.deps.metrics.totals.AccountsNotReached, 1);
        // A redrive later is a fresh attempt: nothing of the failure was stored as done.
        mocks.sts.on(AssumeRootCommand).resolves({ Credentials: SESSION });
        fakeAccount(mocks, []);
        assert.deepEqual(failedIds(await c.batch([message(MEMBER)], { ids: ["a"] })), []);
        assert.equal(c.deps.metrics.totals.AccountsChecked, 1);
    });

    it("a failure retrying cannot fix (AccessDenied) is reported at once and not retried", async () => {
        mocks.sts
            .on(AssumeRootCommand)
            .rejects(new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "no" }));
        const c = container();
        const r = await c.batch([message(MEMBER)]);
        assert.deepEqual(failedIds(r), []);
        assert.equal(jsonBlock(publishedMessages(mocks)[0].message).error.kind, "access-denied");
        assert.equal(c.deps.metrics.totals.AccountsNotReached, 1);
    });

    it("the same account twice in a cycle (at-least-once delivery): acted on and e-mailed once, in any container", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        const a = container();
        const b = container();
        assert.deepEqual(failedIds(await a.batch([message(MEMBER), message(MEMBER)], { ids: ["m1", "m1"] })), []);
        assert.deepEqual(failedIds(await b.batch([message(MEMBER)], { ids: ["m1"] })), []);
        assert.equal(account.keys.size, 0);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 2, "one audit and one delete session");
        assert.equal(publishedMessages(mocks).length, 1);
        // A new cycle is new work.
        assert.deepEqual(failedIds(await b.batch([message(MEMBER, "2026-11-23T12:00:00Z")])), []);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 3);
    });

    it("two invocations on the same account at once: the second copy is dropped while the first holds it", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let calls = 0;
        mocks.iam.on(ListAccessKeysCommand).callsFake(async () => {
            if (calls++ === 0) await gate;
            return { AccessKeyMetadata: [], IsTruncated: false };
        });
        const a = container();
        const b = container();
        const first = a.batch([message(MEMBER)], { ids: ["m1"] });
        await new Promise((r) => setImmediate(r));
        const second = await b.batch([message(MEMBER)], { ids: ["m1"] });
        release();
        assert.deepEqual(failedIds(await first), []);
        assert.deepEqual(failedIds(second), [], "dropped, not retried: the holder owns the work");
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 1);
        assert.ok(b.log.entries.some((e) => e.message === "account already in progress elsewhere; this copy is dropped"));
    });

    it("a failed publish is retried without acting again: the redelivery replays the report and sends the e-mail", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        mocks.sns
            .on(PublishCommand)
            .rejectsOnce(new SNSServiceException({ name: "KMSThrottlingException", $fault: "client", $metadata: {}, message: "slow down" }))
            .resolves({ MessageId: "m-2" });
        const c = container();
        assert.deepEqual(failedIds(await c.batch([message(MEMBER)], { ids: ["m1"] })), ["m1"]);
        assert.equal(account.keys.size, 0);
        assert.deepEqual(failedIds(await c.batch([message(MEMBER)], { ids: ["m1"], receiveCount: 2 })), []);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 1);
        assert.equal(mocks.sns.commandCalls(PublishCommand).length, 2);
        const json = jsonBlock(publishedMessages(mocks)[1].message);
        assert.deepEqual([json.status, json.keys[0].result], ["remediated", "deleted"]);
        assert.equal(c.deps.metrics.totals.RootKeysDeleted, 1, "counted once");
    });

    it("an unreadable message fails every delivery and is reported on the last one", async () => {
        const c = container();
        assert.deepEqual(failedIds(await c.batch(["{oops"], { ids: ["bad"] })), ["bad"]);
        assert.equal(publishedMessages(mocks).length, 0);
        assert.deepEqual(failedIds(await c.batch(["{oops"], { ids: ["bad"], receiveCount: 3 })), ["bad"]);
        const [msg] = publishedMessages(mocks);
        assert.match(msg.subject, /work queue message bad not reached/);
        assert.match(msg.message, /\nFailed: reading the work-queue message/);
    });

    it("Config events on the queue: only the access-key rule's NON_COMPLIANT ones reach an account", async () => {
        fakeAccount(mocks, []);
        const other = complianceEvent(MEMBER, "NON_COMPLIANT", "e-other");
        other.detail.configRuleName = "iam-password-policy";
        const compliant = complianceEvent(MEMBER, "COMPLIANT", "e-ok");
        const c = container();
        assert.deepEqual(failedIds(await c.batch([JSON.stringify(other), JSON.stringify(compliant)])), []);
        assert.equal(mocks.sts.calls().length + mocks.iam.calls().length + mocks.sns.calls().length, 0);
        assert.ok(c.log.entries.some((e) => e.level === "warn" && e.attributes?.ruleName === "iam-password-policy"));
        assert.deepEqual(failedIds(await c.batch([JSON.stringify(complianceEvent(MEMBER, "NON_COMPLIANT", "e-1"))])), []);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 1);
    });

    it("account mode drops queue messages about another account", async () => {
        const c = container({ mode: "account", aggregatorName: undefined });
        assert.deepEqual(failedIds(await c.batch([message(MEMBER)])), []);
        assert.equal(mocks.iam.calls().length + mocks.sts.calls().length, 0);
        assert.ok(c.log.entries.some((e) => e.message === "invocation for another account ignored"));
    });

    it("publishes its counts as one EMF line per invocation (Powertools Metrics)", async () => {
        fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(400), lastUsed: stale },
            { id: "AKIAZ7ROOTKEYTWO2346", created: daysAgo(10) },
        ]);
        mocks.sts.on(AssumeRootCommand).callsFake(async (input) => {
            if (input.TargetPrincipal === OTHER)
                throw new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "no" });
            return { Credentials: SESSION };
        });
        const d = deps(settings({ action: "delete-unused" }), memoryLog());
        const real = { ...d, metrics: powertoolsMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE })) };
        const { output } = await captureStdout(() =>
            createHandler(() => real)(sqsEvent([message(MEMBER), message(OTHER)]), lambdaContext()),
        );
        const emf = output
            .split("\n")
            .filter((l) => l.includes('"_aws"'))
            .map((l) => JSON.parse(l));
        assert.equal(emf.length, 1);
        const [line] = emf;
        assert.equal(line._aws.CloudWatchMetrics[0].Namespace, "rootguard");
        assert.deepEqual(line._aws.CloudWatchMetrics[0].Dimensions, [["service"]]);
        assert.equal(line.service, "rootguard-remediator");
        const names = line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string; Unit: string }) => `${m.Name}:${m.Unit}`).sort();
        assert.deepEqual(names, [
            "AccountsChecked:Count",
            "AccountsNotReached:Count",
            "RootKeysDeleted:Count",
            "RootKeysFailed:Count",
            "RootKeysFound:Count",
            "RootKeysKept:Count",
        ]);
        assert.deepEqual(
            [
                line.AccountsChecked,
                line.AccountsNotReached,
                line.RootKeysFound,
                line.RootKeysDeleted,
                line.RootKeysKept,
                line.RootKeysFailed,
            ],
            [1, 1, 2, 1, 1, 0],
        );
    });
});
