/**
 * Whether the remediator can get the concurrent executions the stack lets it use, in the stack's region.
 *
 * - Its work queue's event source mapping runs up to `rootguard:concurrency` workers, and the scheduled reconcile
 *   runs beside them (needs.ts, remediatorPeakExecutions). Lambda throttles what the function cannot get, and a
 *   throttled SQS delivery returns to the queue as one more receive: after maxReceiveCount the account is
 *   dead-lettered unhandled. "Don't set maximum concurrency higher than the function's reserved concurrency …
 *   Otherwise, Lambda may throttle your messages" (Lambda developer guide, "Configuring scaling behavior for SQS
 *   event source mappings"). Unreserved, the function draws on the account's unreserved pool, shared with every other
 *   function of the region: doctor can check that the pool is large enough, not that it will be free.
 * - A reservation must leave part of the account's concurrency unreserved: "You can reserve up to the Unreserved
 *   account concurrency value that is shown, minus 100" (Lambda developer guide, reserved concurrency); accounts
 *   whose limit is 100 or less (new accounts get 10) are refused any reservation ("…decreases account's
 *   UnreservedConcurrentExecution below its minimum value of [10]"), so the floor is min(100, limit).
 *
 * A reservation the remediator already holds (a redeploy) counts as free: it rejoins the pool when the stack changes it.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { errorCode } from "../../../aws/errors";
import type { Check, CheckContext } from "../check";
import { remediatorFunctionName, remediatorPeakExecutions, WORK_QUEUE_MAX_RECEIVE_COUNT } from "../needs";
import { CallFailed, fail, pass } from "../result";

export const LAMBDA_UNRESERVED_FLOOR = 100;
/** rootguard:concurrency's lower bound (stacks/config.ts; the event source mapping's minimum maximum concurrency). */
const MIN_CONCURRENCY = 2;

export interface ConcurrencyFacts {
    limit: number;
    unreserved: number;
    /** What the function reserves today (0 when it does not exist yet). */
    current: number;
}

/** The two config keys this check judges. */
export interface ConcurrencyAsk {
    concurrency: number;
    reservedConcurrency: number;
}

/** What is left unreserved after reserving `wanted`, and the floor Lambda enforces. */
export function concurrencyAfter(facts: ConcurrencyFacts, wanted: number): { left: number; floor: number; ok: boolean } {
    const floor = Math.min(LAMBDA_UNRESERVED_FLOOR, facts.limit);
    const left = facts.unreserved + facts.current - wanted;
    return { left, floor, ok: left >= floor };
}

export interface ConcurrencyVerdict {
    /** Executions the remediator may run at once. */
    needed: number;
    /** Executions it can get: its reservation, or else the unreserved pool (which its current reservation rejoins). */
    available: number;
    /** Set when Lambda would refuse the reservation (the function cannot be created). */
    refused?: { left: number; floor: number };
}

export function judgeConcurrency(facts: ConcurrencyFacts, ask: ConcurrencyAsk): ConcurrencyVerdict {
    const needed = remediatorPeakExecutions(ask);
    const reserved = ask.reservedConcurrency;
    if (reserved === 0) return { needed, available: facts.unreserved + facts.current };
    const after = concurrencyAfter(facts, reserved);
    return { needed, available: reserved, ...(after.ok ? {} : { refused: { left: after.left, floor: after.floor } }) };
}

export function concurrencyOk(verdict: ConcurrencyVerdict): boolean {
    return verdict.refused === undefined && verdict.available >= verdict.needed;
}

/**
 * Config changes that pass on these facts, most faithful to the user's intent first: keep a reservation but make it
 * large enough, drop it, or run fewer workers. Each is judged by judgeConcurrency before it is offered.
 */
export function concurrencyFixes(facts: ConcurrencyFacts, ask: ConcurrencyAsk): Partial<ConcurrencyAsk>[] {
    const pool = facts.unreserved + facts.current;
    const reserved = ask.reservedConcurrency;
    const candidates: Partial<ConcurrencyAsk>[] = [];
    if (reserved > 0) {
        candidates.push({ reservedConcurrency: remediatorPeakExecutions(ask) });
        candidates.push({ concurrency: reserved - 1 });
        candidates.push({ reservedConcurrency: 0 });
    }
    candidates.push({ ...(reserved > 0 ? { reservedConcurrency: 0 } : {}), concurrency: pool - 1 });
    const fixes: Partial<ConcurrencyAsk>[] = [];
    for (const change of candidates) {
        const next = { ...ask, ...change };
        if (next.concurrency < MIN_CONCURRENCY || next.concurrency > ask.concurrency) continue;
        if (!concurrencyOk(judgeConcurrency(facts, next))) continue;
        if (fixes.some((f) => JSON.stringify(f) === JSON.stringify(change))) continue;
        fixes.push(change);
    }
    return fixes;
}

const QUOTA = "raise the quota (Service Quotas → AWS Lambda → Concurrent executions)";

function configSet(change: Partial<ConcurrencyAsk>): string {
    return Object.entries(change)
        .map(([key, value]) => `pulumi config set rootguard:${key} ${value}`)
        .join(" && ");
}

async function readFacts(ctx: CheckContext, name: string): Promise<ConcurrencyFacts> {
    const settings = await ctx.call("lambda:GetAccountSettings", (abortSignal) =>
        ctx.clients.lambda().send(new GetAccountSettingsCommand({}), { abortSignal }),
    );
    const limit = settings.AccountLimit?.ConcurrentExecutions ?? 0;
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? limit;
    let current = 0;
    try {
        const own = await ctx.call("lambda:GetFunctionConcurrency", (abortSignal) =>
            ctx.clients.lambda().send(new GetFunctionConcurrencyCommand({ FunctionName: name }), { abortSignal }),
        );
        current = own.ReservedConcurrentExecutions ?? 0;
    } catch (err) {
        if (!(err instanceof CallFailed && errorCode(err.cause) === "ResourceNotFoundException")) throw err;
    }
    return { limit, unreserved, current };
}

export const lambdaCheck: Check = {
    id: "lambda-concurrency",
    title: "Lambda concurrency for the remediator's workers",
    permissions: ["lambda:GetAccountSettings", "lambda:GetFunctionConcurrency"],
    notNeeded: () => undefined,
    run: async (ctx) => {
        const { concurrency, reservedConcurrency: reserved } = ctx.config;
        const name = remediatorFunctionName(ctx.config);
        const facts = await readFacts(ctx, name);
        const verdict = judgeConcurrency(facts, ctx.config);
        const { needed, available } = verdict;
        const held = facts.current > 0 ? ` (${name} already holds ${facts.current})` : "";
        const peak = `${needed} at once (rootguard:concurrency ${concurrency} workers and the scheduled reconcile)`;
        if (concurrencyOk(verdict)) {
            if (reserved > 0) {
                const { left, floor } = concurrencyAfter(facts, reserved);
                return pass(
                    `reserving ${reserved} covers ${peak} and leaves ${left} of ${facts.limit} unreserved in ${ctx.region}${held}; Lambda keeps at least ${floor}`,
                );
            }
            return pass(
                `${peak} fit in the ${available} of ${facts.limit} unreserved in ${ctx.region}${held}, shared with the region's other functions`,
            );
        }
        const problems: string[] = [];
        if (verdict.refused) {
            problems.push(
                `rootguard:reservedConcurrency ${reserved} would leave ${verdict.refused.left} of the account's ${facts.limit} concurrent executions unreserved in ${ctx.region}${held}, below the ${verdict.refused.floor} Lambda keeps: the function cannot be created`,
            );
        }
        if (available < needed) {
            const source = reserved > 0 ? `its reservation of ${reserved}` : `the ${available} unreserved in ${ctx.region}${held}`;
            problems.push(
                `the remediator may run ${peak} but can get only ${available} (${source}): Lambda throttles the rest, and a throttled account message returns to the work queue and is dead-lettered after ${WORK_QUEUE_MAX_RECEIVE_COUNT} receives`,
            );
        }
        const fixes = concurrencyFixes(facts, ctx.config).map(configSet);
        return fail(problems.join("; "), [...fixes.slice(0, 2), QUOTA].join(", or "));
    },
};
