/**
 * Lambda entry point. Settings, clients, the logger, metrics and the idempotency store are built once per
 * container; everything the handler does is in ./run (tested with injected dependencies through createHandler).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse } from "aws-lambda";
import { redactCredentials } from "../core/access-keys";
import { createClients } from "./clients";
import { parseInvocation } from "./invocation";
import { powertoolsLog } from "./log";
import { METRICS_NAMESPACE, METRICS_SERVICE, powertoolsMetrics } from "./metrics";
import { dynamoDbOnce, noOnce } from "./once";
import { runInvocation, type InvocationContext, type InvocationResult, type RemediatorDeps } from "./run";
import { loadSettings } from "./settings";

export type Handler = (event: unknown, context: InvocationContext) => Promise<InvocationResult | SQSBatchResponse>;

export function createHandler(getDeps: () => RemediatorDeps): Handler {
    return async (event, context) => {
        const deps = getDeps();
        try {
            return await runInvocation(parseInvocation(event), deps, context);
        } catch (err) {
            // Logged redacted before Lambda records the error; rethrown so async retries and alarms see it.
            deps.log.error("invocation failed", {
                error: redactCredentials(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
            });
            throw err;
        } finally {
            // Counted work is published even when the invocation fails: what was done, was done.
            deps.metrics.flush();
        }
    };
}

let deps: RemediatorDeps | undefined;
const logger = new Logger({ serviceName: METRICS_SERVICE });

function productionDeps(): RemediatorDeps {
    if (deps) return deps;
    const log = powertoolsLog(logger);
    try {
        const settings = loadSettings();
        const clients = createClients({ region: settings.region, maxAttempts: settings.maxAttempts });
        deps = {
            settings,
            clients,
            log,
            now: () => new Date(),
            metrics: powertoolsMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE })),
            once: settings.idempotencyTable ? dynamoDbOnce(settings.idempotencyTable, clients.dynamodb) : noOnce,
        };
        log.info("remediator configured", {
            mode: settings.mode,
            action: settings.action,
            dryRun: settings.dryRun,
            unusedDays: settings.unusedDays,
            ruleNames: settings.ruleNames,
            queue: settings.queueUrl !== undefined,
            idempotency: settings.idempotencyTable !== undefined,
        });
        if (!settings.idempotencyTable) log.warn("no idempotency table configured: a retried event is handled (and e-mailed) again");
        return deps;
    } catch (err) {
        log.error("remediator misconfigured", { error: err instanceof Error ? err.message : String(err) });
        throw err;
    }
}

const run = createHandler(productionDeps);

export const handler = (event: unknown, context: Context): Promise<InvocationResult | SQSBatchResponse> => {
    // Request ID, function name and cold-start flag on every log line of this invocation.
    logger.addContext(context);
    return run(event, context);
};
