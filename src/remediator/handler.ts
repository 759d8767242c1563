/**
 * Lambda entry point. Settings, clients and the logger are built once per container; everything the
 * handler does is in ./run (tested with injected dependencies through createHandler).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { redactCredentials } from "../core/access-keys";
import { createClients } from "./clients";
import { parseInvocation } from "./invocation";
import { powertoolsLog } from "./log";
import { RecentIds, runInvocation, type InvocationContext, type InvocationResult, type RemediatorDeps } from "./run";
import { loadSettings } from "./settings";

export type Handler = (event: unknown, context: InvocationContext) => Promise<InvocationResult>;

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
        }
    };
}

let deps: RemediatorDeps | undefined;
const logger = new Logger({ serviceName: "rootguard-remediator" });

function productionDeps(): RemediatorDeps {
    if (deps) return deps;
    const log = powertoolsLog(logger);
    try {
        const settings = loadSettings();
        deps = {
            settings,
            clients: createClients({ region: settings.region, maxAttempts: settings.maxAttempts }),
            log,
            now: () => new Date(),
            seenEventIds: new RecentIds(),
        };
        log.info("remediator configured", {
            mode: settings.mode,
            action: settings.action,
            dryRun: settings.dryRun,
            unusedDays: settings.unusedDays,
            concurrency: settings.concurrency,
        });
        return deps;
    } catch (err) {
        log.error("remediator misconfigured", { error: err instanceof Error ? err.message : String(err) });
        throw err;
    }
}

const run = createHandler(productionDeps);

export const handler = (event: unknown, context: Context): Promise<InvocationResult> => {
    // Request ID, function name and cold-start flag on every log line of this invocation.
    logger.addContext(context);
    return run(event, context);
};
