import { strict as assert } from "node:assert";
import { DeleteAccessKeyCommand, IAMServiceException, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { AssumeRootCommand, STSServiceException } from "@aws-sdk/client-sts";
import { ASSUME_ROOT_MAX_DURATION_SECONDS, MANUAL_ROOT_KEY_STEPS, taskPolicyArn } from "../../src/core/aws-facts";
import { createHandler } from "../../src/remediator/handler";
import {
    KEY_ONE,
    KEY_TWO,
    MEMBER,
    SESSION,
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
    type Mocks,
} from "./helpers";
import type { Settings } from "../../src/remediator/settings";

const recent = { date: daysAgo(1), service: "s3", region: "us-east-1" };
const stale = { date: daysAgo(200), service: "iam", region: "eu-west-1" };

function run(s: Partial<Settings>, event: unknown = complianceEvent(MEMBER)) {
    const log = memoryLog();
    const d = deps(settings(s), log);
    const handler = createHandler(() => d);
    return { log, deps: d, handler, invoke: async (e: unknown = event) => direct(await handler(e, lambdaContext())) };
}

describe("remediator handler (organization mode, aws-sdk-client-mock)", () => {
    let mocks: Mocks;
    beforeEach(() => {
        mocks = awsMocks();
    });
    afterEach(() => mocks.restore());

    it("no keys: nothing deleted, nothing published, reported clean", async () => {
        fakeAccount(mocks, []);
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(result.accounts?.[0].status, "clean");
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        assert.equal(publishedMessages(mocks).length, 0);
    });

    it("one key used yesterday: kept (delete-unused) and notified with evidence", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(300), lastUsed: recent }]);
        await run({ action: "delete-unused" }).invoke();
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        const [msg] = publishedMessages(mocks);
        assert.match(
            msg.message,
            /- AKIA\*\*\*\*2345 \(Active\), created 2026-01-26, last used 2026-11-21 \(s3, us-east-1\)\n {2}keep: last used 1 day ago, inside the 45-day window -> kept/,
        );
        const json = jsonBlock(msg.message);
        assert.equal(json.status, "keys-present");
        assert.deepEqual(json.keys[0].lastUsed, { date: daysAgo(1).toISOString(), service: "s3", region: "us-east-1" });
        assert.equal(json.keys[0].decision, "keep");
        assert.equal(json.keys[0].action, "none");
        assert.deepEqual(json.manualSteps, MANUAL_ROOT_KEY_STEPS);
        assert.equal(msg.attributes.accountId, MEMBER);
    });

    it("one key unused 200 days: deleted and verified in delete-unused", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(account.keys.size, 0);
        const del = mocks.iam.commandCalls(DeleteAccessKeyCommand);
        assert.equal(del.length, 1);
        assert.equal(del[0].args[0].input.AccessKeyId, KEY_ONE);
        const roots = mocks.sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input.TaskPolicyArn?.arn);
        assert.deepEqual(roots, [taskPolicyArn("IAMAuditRootUserCredentials"), taskPolicyArn("IAMDeleteRootUserCredentials")]);
        assert.equal(result.accounts?.[0].status, "remediated");
        const json = jsonBlock(publishedMessages(mocks)[0].message);
        assert.deepEqual(
            {
                decision: json.keys[0].decision,
                action: json.keys[0].action,
                result: json.keys[0].result,
                verifiedGone: json.keys[0].verifiedGone,
            },
            { decision: "delete", action: "DeleteAccessKey", result: "deleted", verifiedGone: true },
        );
        assert.equal(json.manualSteps, undefined);
    });

    it("one key unused 200 days: not deleted in notify mode", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        await run({ action: "notify" }).invoke();
        assert.equal(account.keys.size, 1);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 1, "only the audit session");
        const json = jsonBlock(publishedMessages(mocks)[0].message);
        assert.equal(json.keys[0].decision, "keep");
        assert.match(json.keys[0].reason, /delete-unused would remove it/);
    });

    it("one key unused 200 days: not deleted in dry run, reported as would-delete", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        await run({ action: "delete", dryRun: true }).invoke();
        assert.equal(account.keys.size, 1);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 1, "no delete session in a dry run");
        const [msg] = publishedMessages(mocks);
        assert.match(msg.message, /would be deleted \(dry run\)/);
        assert.equal(jsonBlock(msg.message).keys[0].decision, "would-delete");
    });

    it("two keys mixed: only the unused one is deleted", async () => {
        const account = fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(300), lastUsed: recent },
            { id: KEY_TWO, created: daysAgo(300), status: "Inactive", lastUsed: stale },
        ]);
        const result = await run({ action: "delete-unused" }).invoke();
        assert.deepEqual([...account.keys.keys()], [KEY_ONE]);
        assert.deepEqual(
            mocks.iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input.AccessKeyId),
            [KEY_TWO],
        );
        const json = jsonBlock(publishedMessages(mocks)[0].message);
        assert.deepEqual(
            json.keys.map((k: any) => [k.keyId, k.decision, k.result]),
            [
                ["AKIA****2345", "keep", "kept"],
                ["AKIA****2346", "delete", "deleted"],
            ],
        );
        assert.equal(result.accounts?.[0].status, "keys-present");
    });

    it("delete mode removes every key, including one used yesterday", async () => {
        const account = fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(300), lastUsed: recent },
            { id: KEY_TWO, created: daysAgo(3) },
        ]);
        await run({ action: "delete" }).invoke();
        assert.equal(account.keys.size, 0);
        assert.equal(jsonBlock(publishedMessages(mocks)[0].message).status, "remediated");
    });

    it("AccessDenied on AssumeRoot: clear notification with what to do and the manual steps; no throw", async () => {
        mocks.sts.on(AssumeRootCommand).rejects(
            new STSServiceException({
                name: "AccessDenied",
                $fault: "client",
                $metadata: {},
                message: "User: arn:aws:sts::999999999999:assumed-role/x is not authorized to perform: sts:AssumeRoot",
            }),
        );
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(result.accounts?.[0].status, "error");
        const [msg] = publishedMessages(mocks);
        assert.match(msg.message, /\nFailed: AssumeRoot IAMAuditRootUserCredentials \(access-denied\)\n/);
        assert.match(
            msg.message,
            /\nCause: AccessDenied: User: arn:aws:sts::999999999999:assumed-role\/x is not authorized to perform: sts:AssumeRoot\n/,
        );
        assert.match(msg.message, /\nFix: The remediator's role may not call sts:AssumeRoot/);
        assert.match(msg.message, /To remove root access keys by hand:\n {2}1\. Sign in/);
        assert.equal(jsonBlock(msg.message).error.kind, "access-denied");
    });

    it("feature not enabled and not-management-account errors become actionable text", async () => {
        const messages = [
            "Centralized root access (RootSessions) is not enabled for your organization",
            "The caller is not the management account or a delegated administrator",
        ];
        let call = 0;
        mocks.sts.on(AssumeRootCommand).callsFake(async () => {
            throw new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: messages[call++] });
        });
        const r = run({ action: "delete-unused" });
        await r.invoke();
        await r.invoke(complianceEvent(MEMBER, "NON_COMPLIANT", "evt-second"));
        const [a, b] = publishedMessages(mocks).map((m) => jsonBlock(m.message).error);
        assert.equal(a.kind, "feature-not-enabled");
        assert.match(a.whatToDo, /enable-organizations-root-sessions/);
        assert.equal(b.kind, "not-management-or-delegated-admin");
        assert.match(b.whatToDo, /register-delegated-administrator --service-principal iam\.amazonaws\.com/);
    });

    it("AccessDenied on DeleteAccessKey: reported failed with the SCP's AssumeRoot exemption as the fix, not a role grant", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        mocks.iam.on(DeleteAccessKeyCommand).rejects(
            new IAMServiceException({
                name: "AccessDenied",
                $fault: "client",
                message: "not authorized: iam:DeleteAccessKey",
                $metadata: {},
            }),
        );
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(result.accounts?.[0].status, "error");
        const k = jsonBlock(publishedMessages(mocks)[0].message).keys[0];
        assert.equal(k.result, "failed");
        assert.equal(k.verifiedGone, false);
        assert.equal(k.error.kind, "access-denied");
        // The AssumeRoot session's task policy authorizes the delete: an SCP without the exemption is what denies it.
        assert.match(k.error.whatToDo, /service control policy/);
        assert.match(k.error.whatToDo, /"Null": \{"aws:AssumedRoot":"true"\}/);
        assert.doesNotMatch(k.error.whatToDo, /^Grant the remediator's role/);
        // The e-mail's text names the failure, its cause and the fix under the key.
        const text = publishedMessages(mocks)[0].message.split("--- rootguard JSON ---")[0];
        assert.match(
            text,
            /- AKIA\*\*\*\*2345 \(Active\).*\n.*-> delete FAILED: access-denied\n {2}Failed: iam:DeleteAccessKey \(access-denied\)\n {2}Cause: AccessDenied: not authorized: iam:DeleteAccessKey\n {2}Fix: This call runs in the AssumeRoot session/,
        );
    });

    it("key vanished mid-run: NoSuchEntity on delete counts as done", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        // Someone else deletes the key between our list and our delete.
        mocks.sts.on(AssumeRootCommand).callsFake(async (input) => {
            if (input.TaskPolicyArn?.arn?.endsWith("IAMDeleteRootUserCredentials")) account.keys.delete(KEY_ONE);
            return { Credentials: SESSION };
        });
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 1);
        assert.equal(result.accounts?.[0].status, "remediated");
        const k = jsonBlock(publishedMessages(mocks)[0].message).keys[0];
        assert.deepEqual([k.result, k.verifiedGone], ["already-gone", true]);
    });

    it("key vanished during the inventory: NoSuchEntity on GetAccessKeyLastUsed drops it, nothing else fails", async () => {
        const account = fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(300), lastUsed: recent },
            { id: KEY_TWO, created: daysAgo(400), lastUsed: stale },
        ]);
        mocks.iam.on(ListAccessKeysCommand).callsFakeOnce(async () => {
            const listed = [...account.keys.values()].map((k) => ({ AccessKeyId: k.id, Status: "Active", CreateDate: k.created }));
            account.keys.delete(KEY_TWO);
            return { AccessKeyMetadata: listed, IsTruncated: false };
        });
        const result = await run({ action: "delete-unused" }).invoke();
        assert.equal(result.accounts?.[0].status, "keys-present");
        assert.deepEqual(
            (result.accounts?.[0].keys as any[]).map((k) => k.keyId),
            ["AKIA****2345"],
        );
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
    });

    it("a delete that cannot be verified is reported as an error, not as remediated", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        let lists = 0;
        mocks.iam.on(ListAccessKeysCommand).callsFake(async () => {
            if (++lists === 2)
                throw new IAMServiceException({ name: "ServiceUnavailable", $fault: "server", message: "try later", $metadata: {} });
            return { AccessKeyMetadata: [{ AccessKeyId: KEY_ONE, Status: "Active", CreateDate: daysAgo(400) }], IsTruncated: false };
        });
        const result = await run({ action: "delete-unused" }).invoke();
        const json = result.accounts?.[0] as any;
        assert.equal(json.status, "error");
        assert.equal(json.keys[0].result, "deleted");
        assert.equal(json.keys[0].verifiedGone, undefined);
        assert.equal(json.error.operation, "iam:ListAccessKeys (verify)");
    });

    it("a retried event (same id) in another container: replayed from the idempotency table, no second delete or e-mail", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        const first = await run({ action: "delete-unused" }).invoke();
        const again = await run({ action: "delete-unused" }).invoke();
        assert.equal(account.keys.size, 0);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 1);
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 2, "audit + delete, once");
        assert.equal(publishedMessages(mocks).length, 1);
        // The replay is the first run's report, not a fresh (clean) look.
        assert.deepEqual(again.accounts, first.accounts);
        assert.equal(again.accounts?.[0].status, "remediated");
    });

    it("without an idempotency table a retried event acts on live state: nothing left, so no action and no message", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        await run({ action: "delete-unused", idempotencyTable: undefined }).invoke();
        const second = await run({ action: "delete-unused", idempotencyTable: undefined }).invoke();
        assert.equal(second.accounts?.[0].status, "clean");
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 1);
        assert.equal(publishedMessages(mocks).length, 1);
        assert.equal(mocks.table.requests.put, 0);
    });

    it("an event of a rule the stack did not deploy: WARN, and no AWS call at all", async () => {
        const r = run({ action: "delete" });
        for (const rule of [
            "iam-password-policy",
            "rootguard-root-account-mfa-enabled",
            "OrgConfigRule-rootguard-iam-root-access-key-check-x-y",
            "rootguard-iam-root-access-key-check-2",
        ]) {
            const event = complianceEvent(MEMBER, "NON_COMPLIANT", `evt-${rule}`);
            event.detail.configRuleName = rule;
            const result = await r.invoke(event);
            assert.match(result.skipped ?? "", new RegExp(`rule ${rule}`));
        }
        for (const m of [mocks.sts, mocks.iam, mocks.sns, mocks.config, mocks.sqs, mocks.dynamodb]) assert.equal(m.calls().length, 0);
        const warnings = r.log.entries.filter((e) => e.level === "warn" && /not deployed for/.test(e.message));
        assert.equal(warnings.length, 4);
        assert.deepEqual(warnings[0].attributes?.configuredRules, ["rootguard-iam-root-access-key-check"]);
        // The configured rule and its organization copy do act.
        fakeAccount(mocks, []);
        const org = complianceEvent(MEMBER, "NON_COMPLIANT", "evt-org");
        org.detail.configRuleName = "OrgConfigRule-rootguard-iam-root-access-key-check-a1b2c3d4";
        assert.equal((await r.invoke(org)).accounts?.[0].status, "clean");
    });

    it("out-of-order events: a stale NON_COMPLIANT after COMPLIANT acts on live state only", async () => {
        const account = fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(300), lastUsed: recent }]);
        const r = run({ action: "delete-unused" });
        // Newer COMPLIANT arrives first: nothing to do, no AWS calls.
        const compliant = await r.invoke(complianceEvent(MEMBER, "COMPLIANT", "evt-2", daysAgo(0).toISOString()));
        assert.equal(compliant.skipped, "rule rootguard-iam-root-access-key-check / COMPLIANT needs no action");
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 0);
        // Then the older NON_COMPLIANT: the key is in use, so it is kept whatever the event order.
        await r.invoke(complianceEvent(MEMBER, "NON_COMPLIANT", "evt-1", daysAgo(1).toISOString()));
        assert.equal(account.keys.size, 1);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        // And once the key is gone, a late NON_COMPLIANT finds nothing and says nothing.
        account.keys.clear();
        const late = await r.invoke(complianceEvent(MEMBER, "NON_COMPLIANT", "evt-0", daysAgo(2).toISOString()));
        assert.equal(late.accounts?.[0].status, "clean");
        assert.equal(publishedMessages(mocks).length, 1);
    });

    it("AssumeRoot: DurationSeconds ≤ 900, AWS task policy ARN, member account as target; IAM uses the session", async () => {
        fakeAccount(mocks, [{ id: KEY_ONE, created: daysAgo(400), lastUsed: stale }]);
        await run({ action: "delete-unused" }).invoke();
        const calls = mocks.sts.commandCalls(AssumeRootCommand);
        assert.equal(calls.length, 2);
        for (const c of calls) {
            const input = c.args[0].input;
            assert.ok(input.DurationSeconds !== undefined && input.DurationSeconds <= 900);
            assert.equal(input.DurationSeconds, ASSUME_ROOT_MAX_DURATION_SECONDS);
            assert.equal(input.TargetPrincipal, MEMBER);
            assert.match(input.TaskPolicyArn?.arn ?? "", /^arn:aws:iam::aws:policy\/root-task\/IAM(Audit|Delete)RootUserCredentials$/);
        }
        const list = mocks.iam.commandCalls(ListAccessKeysCommand)[0];
        assert.equal(list.args[0].input.UserName, undefined, "the root session lists its own keys");
        const creds = await (list.thisValue as any).config.credentials();
        assert.equal(creds.accessKeyId, SESSION.AccessKeyId);
        assert.equal(creds.sessionToken, SESSION.SessionToken);
    });

    it("the management account itself (where the remediator runs): no AssumeRoot, manual steps", async () => {
        // Organization mode, event about the remediator's own account → credential report path.
        mockCredentialReport(
            mocks.iam,
            credentialReportCsv("true,2025-01-01T00:00:00+00:00,2026-03-01T10:00:00+00:00,us-east-1,ec2", { account: "999999999999" }),
            {
                keysPresent: 1,
                generatedAt: new Date("2026-11-22T11:00:00Z"),
            },
        );
        const result = await run({ action: "delete-unused" }).invoke(complianceEvent("999999999999"));
        assert.equal(mocks.sts.commandCalls(AssumeRootCommand).length, 0);
        assert.equal(mocks.iam.commandCalls(DeleteAccessKeyCommand).length, 0);
        const json = result.accounts?.[0] as any;
        assert.equal(json.canAct, false);
        assert.equal(json.keys[0].decision, "manual");
        assert.equal(json.keys[0].keyId, "access key 1");
        assert.match(json.whyNoAutomation, /AssumeRoot only targets member accounts/);
        assert.deepEqual(json.manualSteps, MANUAL_ROOT_KEY_STEPS);
    });
});
