/**
 * reservedConcurrency against the account's Lambda concurrency. Lambda keeps part of the account's
 * concurrency unreserved: "You can reserve up to the Unreserved account concurrency value that is shown, minus
 * 100" (Lambda developer guide, reserved concurrency); accounts whose limit is 100 or less (new accounts get 10)
 * are refused any reservation ("…decreases account's UnreservedConcurrentExecution below its minimum value of
 * [10]"), so the floor is min(100, limit). A reservation the remediator already holds (a redeploy) counts as free.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { errorCode } from "../../../aws/errors";
import type { Check } from "../check";
import { remediatorFunctionName } from "../needs";
import { CallFailed, fail, pass } from "../result";

export const LAMBDA_UNRESERVED_FLOOR = 100;

export interface ConcurrencyFacts {
    limit: number;
    unreserved: number;
    /** What the function reserves today (0 when it does not exist yet). */
    current: number;
}

/** What is left unreserved after reserving `wanted`, and the floor Lambda enforces. */
export function concurrencyAfter(facts: ConcurrencyFacts, wanted: number): { left: number; floor: number; ok: boolean } {
    const floor = Math.min(LAMBDA_UNRESERVED_FLOOR, facts.limit);
    const left = facts.unreserved + facts.current - wanted;
    return { left, floor, ok: left >= floor };
}

export const lambdaCheck: Check = {
    id: "lambda-concurrency",
    title: "Lambda concurrency for reservedConcurrency",
    permissions: ["lambda:GetAccountSettings", "lambda:GetFunctionConcurrency"],
    notNeeded: (config) => (config.reservedConcurrency > 0 ? undefined : "reservedConcurrency is 0"),
    run: async (ctx) => {
        const wanted = ctx.config.reservedConcurrency;
        const settings = await ctx.call("lambda:GetAccountSettings", (abortSignal) =>
            ctx.clients.lambda().send(new GetAccountSettingsCommand({}), { abortSignal }),
        );
        const limit = settings.AccountLimit?.ConcurrentExecutions ?? 0;
        const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? limit;
        const name = remediatorFunctionName(ctx.config);
        let current = 0;
        try {
            const own = await ctx.call("lambda:GetFunctionConcurrency", (abortSignal) =>
                ctx.clients.lambda().send(new GetFunctionConcurrencyCommand({ FunctionName: name }), { abortSignal }),
            );
            current = own.ReservedConcurrentExecutions ?? 0;
        } catch (err) {
            if (!(err instanceof CallFailed && errorCode(err.cause) === "ResourceNotFoundException")) throw err;
        }
        const { left, floor, ok } = concurrencyAfter({ limit, unreserved, current }, wanted);
        const held = current > 0 ? ` (${name} already holds ${current})` : "";
        if (ok)
            return pass(
                `reserving ${wanted} leaves ${left} of ${limit} unreserved in ${ctx.region}${held}; Lambda keeps at least ${floor}`,
            );
        return fail(
            `rootguard:reservedConcurrency ${wanted} would leave ${left} of the account's ${limit} concurrent executions unreserved in ${ctx.region}${held}, below the ${floor} Lambda keeps: the function cannot be created`,
            "pulumi config set rootguard:reservedConcurrency 0, or raise the quota (Service Quotas → AWS Lambda → Concurrent executions)",
        );
    },
};
