/**
 * One reconcile cycle of the remediator at 1,000 and 10,000 member accounts, every one with a root access key (the
 * worst case: the cost grows with the non-compliant accounts), simulated with the real handler code in virtual time
 * (tests/remediator/sim/organization.ts). Throughput comes from the simulation's latency model (assumed per-call
 * latencies, written in the docs); the counts (invocations, GB-s, SQS requests, AssumeRoot calls, DynamoDB request
 * units, e-mails) are what the code did, priced with the public us-east-1 prices below.
 */
import { DEFAULTS } from "../src/remediator/settings";
import { simulateCycle, type SimResult } from "../tests/remediator/sim/organization";
import type { BenchOptions } from "./options";
import { withRatio, type Row } from "./report";

/** Public prices, us-east-1, read in November 2026; free tiers left out. */
export const PRICES = {
    /** https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s per month) */
    lambdaGbSecondArm: 0.0000133334,
    /** https://aws.amazon.com/lambda/pricing/ */
    lambdaPerMillionRequests: 0.2,
    /** https://aws.amazon.com/sqs/pricing/ (standard queue; each 64 KB chunk of a request is one request) */
    sqsPerMillionRequests: 0.4,
    /** https://aws.amazon.com/dynamodb/pricing/on-demand/ */
    dynamodbPerMillionWrites: 0.625,
    dynamodbPerMillionReads: 0.125,
    /** https://aws.amazon.com/sns/pricing/ (publishes; e-mail deliveries $2.00 per 100,000) */
    snsPerMillionPublishes: 0.5,
    snsPerEmail: 2.0 / 100_000,
    /** https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard ingestion) */
    logsPerGb: 0.5,
    /** STS (AssumeRoot) and the Config aggregator's read APIs are not billed per call. */
    assumeRoot: 0,
};

export interface CycleCost {
    usd: number;
    parts: Record<"lambda" | "sqs" | "dynamodb" | "sns" | "logs", number>;
    usage: {
        gbSeconds: number;
        invocations: number;
        sqsRequests: number;
        assumeRootCalls: number;
        wru: number;
        rru: number;
        emails: number;
        logGb: number;
    };
}

/** SQS requests of the cycle itself; the pollers' standing long polls are a monthly figure (docs/remediator.md). */
export function cycleCost(r: SimResult): CycleCost {
    const sqsRequests = r.sqs.sendBatch + r.sqs.receive + r.sqs.deleteBatch;
    const emails = r.sns.publishes;
    const logGb = r.logBytes / 1024 ** 3;
    const parts = {
        lambda: r.lambda.gbSeconds * PRICES.lambdaGbSecondArm + (r.lambda.invocations / 1e6) * PRICES.lambdaPerMillionRequests,
        sqs: (sqsRequests / 1e6) * PRICES.sqsPerMillionRequests,
        dynamodb:
            (r.dynamodb.writeUnits / 1e6) * PRICES.dynamodbPerMillionWrites + (r.dynamodb.readUnits / 1e6) * PRICES.dynamodbPerMillionReads,
        sns: (r.sns.publishes / 1e6) * PRICES.snsPerMillionPublishes + emails * PRICES.snsPerEmail,
        logs: logGb * PRICES.logsPerGb,
    };
    return {
        usd: Object.values(parts).reduce((a, b) => a + b, 0),
        parts,
        usage: {
            gbSeconds: r.lambda.gbSeconds,
            invocations: r.lambda.invocations,
            sqsRequests,
            assumeRootCalls: r.assumeRoot.calls,
            wru: r.dynamodb.writeUnits,
            rru: r.dynamodb.readUnits,
            emails,
            logGb,
        },
    };
}

/** Accounts done per minute of the cycle, start (the schedule's tick) to the last account done. */
export const accountsPerMinute = (r: SimResult): number => r.inventoried.size / (r.lastAccountDoneMs / 60_000);

function cycle(accounts: number, concurrency: number): Promise<SimResult> {
    return simulateCycle({
        accounts,
        nonCompliantEvery: 1,
        action: "delete-unused",
        concurrency,
        batchSize: 5,
        maxReceiveCount: DEFAULTS.maxReceiveCount,
        timeoutSeconds: 300,
        memoryMb: 256,
    });
}

function usageNote(r: SimResult, c: CycleCost): string {
    const u = c.usage;
    const part = (n: number) => `$${n.toFixed(4)}`;
    return (
        `${r.inventoried.size} accounts in ${(r.lastAccountDoneMs / 60_000).toFixed(1)} simulated min; ` +
        `Lambda ${u.invocations} invocations, ${u.gbSeconds.toFixed(1)} GB-s (${part(c.parts.lambda)}); ` +
        `SQS ${u.sqsRequests} requests (${part(c.parts.sqs)}); AssumeRoot ${u.assumeRootCalls} calls (no charge); ` +
        `DynamoDB ${u.wru} WRU + ${u.rru} RRU (${part(c.parts.dynamodb)}); SNS ${u.emails} e-mails (${part(c.parts.sns)}); ` +
        `logs ${(u.logGb * 1024).toFixed(1)} MB (${part(c.parts.logs)}); simulated in ${(r.wallMs / 1000).toFixed(0)} s here`
    );
}

export async function remediatorCycleRows(options: BenchOptions): Promise<Row[]> {
    const small = options.quick ? 40 : 1_000;
    const large = options.quick ? 100 : 10_000;
    const concurrency = DEFAULTS.concurrency;
    const atMin = await cycle(small, 2);
    const base = await cycle(small, concurrency);
    const big = await cycle(large, concurrency);
    const [costMin, costBase, costBig] = [atMin, base, big].map(cycleCost);
    const n = (x: number) => x.toLocaleString("en-US");
    return [
        withRatio({
            section: "remediator",
            id: "remediator.cycle.rate",
            figure: `remediator cycle, ${n(small)} accounts at concurrency ${concurrency} (simulated)`,
            value: accountsPerMinute(base),
            unit: "accounts/min",
            baseline: { name: "concurrency 2 (the event source's minimum)", value: accountsPerMinute(atMin) },
            note: usageNote(base, costBase),
        }),
        withRatio({
            section: "remediator",
            id: "remediator.cycle.rate-10x",
            figure: `remediator cycle, ${n(large)} accounts at concurrency ${concurrency} (simulated)`,
            value: accountsPerMinute(big),
            unit: "accounts/min",
            baseline: { name: `${n(small)} accounts`, value: accountsPerMinute(base) },
            note: usageNote(big, costBig),
        }),
        withRatio({
            section: "remediator",
            id: "remediator.cycle.cost",
            figure: `cost of one cycle, ${n(small)} accounts with keys`,
            value: costBase.usd,
            unit: "USD",
            baseline: { name: "the same at concurrency 2", value: costMin.usd },
        }),
        withRatio({
            section: "remediator",
            id: "remediator.cycle.cost-10x",
            figure: `cost of one cycle, ${n(large)} accounts with keys`,
            value: costBig.usd,
            unit: "USD",
            baseline: { name: `${n(small)} accounts`, value: costBase.usd },
        }),
    ];
}
