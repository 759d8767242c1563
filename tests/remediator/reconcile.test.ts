import { strict as assert } from "node:assert";
import { DescribeAggregateComplianceByConfigRulesCommand } from "@aws-sdk/client-config-service";
import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { PublishCommand } from "@aws-sdk/client-sns";
import { AssumeRootCommand, STSServiceException } from "@aws-sdk/client-sts";
import { createClients } from "../../src/remediator/clients";
import { createHandler } from "../../src/remediator/handler";
import { fanOut, listNonCompliantAccounts, ruleNameMatches } from "../../src/remediator/reconcile";
import { KEY_ONE, SESSION, awsMocks, daysAgo, deps, jsonBlock, lambdaContext, memoryLog, settings, type Mocks } from "./helpers";

const tick = () => new Promise<void>((r) => setImmediate(r));
const accountId = (i: number) => String(100000000000 + i);

describe("remediator reconcile at organization scale", () => {
    let mocks: Mocks;
    beforeEach(() => {
        mocks = awsMocks();
    });
    afterEach(() => mocks.restore());

    it("an aggregator that hands back the same NextToken twice fails instead of looping", async () => {
        mocks.config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .resolves({ AggregateComplianceByConfigRules: [], NextToken: "again" });
        const { config } = createClients({ region: "eu-west-1" });
        await assert.rejects(listNonCompliantAccounts(config, "org-aggregator", ["iam-root-access-key-check"]), /same NextToken twice/);
        assert.equal(mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).length, 2);
    });

    it("5,000 member accounts: bounded concurrency, a timeout budget, none twice, the rest reported", async function () {
        this.timeout(60_000);
        const TOTAL = 5000;
        const ids = Array.from({ length: TOTAL }, (_, i) => accountId(i));
        // Pages of 1000, each account listed twice (two regions), the second copy on a later page.
        const rows = [
            ...ids.map((id) => ({
                ConfigRuleName: "iam-root-access-key-check",
                AccountId: id,
                AwsRegion: "us-east-1",
                Compliance: { ComplianceType: "NON_COMPLIANT" as const },
            })),
            ...ids.map((id) => ({
                ConfigRuleName: "iam-root-access-key-check",
                AccountId: id,
                AwsRegion: "eu-west-1",
                Compliance: { ComplianceType: "NON_COMPLIANT" as const },
            })),
        ];
        mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            const start = Number(input.NextToken ?? 0);
            const next = start + 1000;
            return { AggregateComplianceByConfigRules: rows.slice(start, next), NextToken: next < rows.length ? String(next) : undefined };
        });

        // Simulated clock: each account's AssumeRoot costs 100 ms of the Lambda's 330 s budget.
        let elapsedMs = 0;
        const budgetMs = 330_000;
        let inFlight = 0;
        let maxInFlight = 0;
        const audited = new Map<string, number>();
        mocks.sts.on(AssumeRootCommand).callsFake(async (input) => {
            const id = input.TargetPrincipal as string;
            audited.set(id, (audited.get(id) ?? 0) + 1);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            elapsedMs += 100;
            await tick();
            // One account in 250 refuses: its failure must not stop the others.
            if (Number(id) % 250 === 7) {
                inFlight--;
                throw new STSServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "denied" });
            }
            return { Credentials: SESSION };
        });
        mocks.iam.on(ListAccessKeysCommand).callsFake(async () => {
            await tick();
            return { AccessKeyMetadata: [{ AccessKeyId: KEY_ONE, Status: "Active", CreateDate: daysAgo(300) }], IsTruncated: false };
        });
        mocks.iam.on(GetAccessKeyLastUsedCommand).callsFake(async () => {
            await tick();
            inFlight--;
            return { AccessKeyLastUsed: { LastUsedDate: daysAgo(2), ServiceName: "s3", Region: "us-east-1" } };
        });

        const log = memoryLog();
        const d = deps(settings({ action: "notify", concurrency: 5, safetyMarginMs: 30_000 }), log);
        const result = await createHandler(() => d)(
            { source: "rootguard.reconcile" },
            lambdaContext(() => budgetMs - elapsedMs),
        );
        const summary = result.summary!;

        assert.equal(summary.nonCompliantAccounts, TOTAL);
        assert.equal(summary.completed + summary.notStarted.length, TOTAL);
        // (330 s − 30 s margin) / 100 ms = 3,000 accounts; the 3,001st starts with exactly the margin left
        // (dispatch stops only once remaining time is under it).
        assert.equal(summary.completed, 3001);
        assert.equal(summary.notStarted.length, 1999);
        assert.ok(maxInFlight <= 5, `max in flight ${maxInFlight}`);
        assert.ok(maxInFlight > 1, "the fan-out actually ran in parallel");
        assert.ok(
            [...audited.values()].every((n) => n === 1),
            "no account processed twice",
        );
        assert.equal(audited.size, 3001);
        for (const id of summary.notStarted) assert.ok(!audited.has(id), `${id} reported left but was processed`);
        assert.equal(summary.byStatus.error, 12);
        assert.equal(summary.byStatus["keys-present"], 2989);

        // One message per account checked, then the run summary naming what is left.
        const published = mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
        assert.equal(published.length, 3002);
        const last = published[published.length - 1];
        assert.match(last.Subject ?? "", /3001\/5000 checked, 1999 left/);
        assert.deepEqual(jsonBlock(last.Message ?? "").notStarted, summary.notStarted);
        assert.ok(log.entries.some((e) => e.message === "reconcile stopped before the Lambda timeout"));
    });

    it("fanOut: a throwing worker never stops the others; duplicates are dropped; nothing starts under the margin", async () => {
        const seen: string[] = [];
        const r = await fanOut(
            ["a", "b", "a", "c", "d"],
            async (x) => {
                seen.push(x);
                await tick();
                if (x === "b") throw new Error("boom");
                return x.toUpperCase();
            },
            { concurrency: 2, remainingMs: () => 10_000, safetyMarginMs: 0 },
        );
        assert.deepEqual(seen.sort(), ["a", "b", "c", "d"]);
        assert.deepEqual(r.completed.map((c) => c.result).sort(), ["A", "C", "D"]);
        assert.deepEqual(
            r.failed.map((f) => f.item),
            ["b"],
        );
        const none = await fanOut(["a", "b"], async (x) => x, { concurrency: 5, remainingMs: () => 100, safetyMarginMs: 1000 });
        assert.deepEqual(none, { completed: [], failed: [], notStarted: ["a", "b"] });
    });

    it("rule names: exact, and organization rules' generated member-account names", () => {
        assert.ok(ruleNameMatches("iam-root-access-key-check", "iam-root-access-key-check"));
        assert.ok(ruleNameMatches("OrgConfigRule-iam-root-access-key-check-abc123", "iam-root-access-key-check"));
        assert.ok(ruleNameMatches("iam-root-access-key-check-abc123", "iam-root-access-key-check"));
        assert.ok(!ruleNameMatches("iam-root-access-key-check-abc-def", "iam-root-access-key-check"));
        assert.ok(!ruleNameMatches("xiam-root-access-key-check", "iam-root-access-key-check"));
    });
});
