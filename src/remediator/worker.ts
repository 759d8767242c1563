/**
 * The work-queue consumer: an SQS batch (the event source mapping caps how many run at once: that is the bound
 * on AssumeRoot sessions), records handled one after another, each failure reported as a partial batch item
 * failure (Powertools Batch) so only that message comes back after the visibility timeout. On the queue's last
 * delivery (maxReceiveCount) a failing account is e-mailed and counted before SQS moves it to the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { classifyError } from "./errors";
import { parseQueueMessage, type ComplianceChange } from "./invocation";
import { REMEDIATOR_METRICS } from "./metrics";
import { formatNotReached } from "./notify";
import type { LambdaTime } from "./once";
import { processAccount, send, type AccountWork, type OnTransient, type ProcessDeps } from "./process-account";
import { isConfiguredRule } from "./rules";

export interface WorkerDeps extends ProcessDeps {
    /** The account the remediator runs in, for account mode's "only my own account" rule. */
    callerAccountId?: string;
}

/** The idempotency key of an account in a reconcile cycle. */
export const cycleKey = (accountId: string, cycle: string): string => `account#${accountId}#${cycle}`;
/** The idempotency key of an EventBridge event (its ID is the same on every delivery). */
export const eventKey = (eventId: string): string => `event#${eventId}`;

export async function handleQueueBatch(event: SQSEvent, deps: WorkerDeps, context: LambdaTime): Promise<SQSBatchResponse> {
    // One record at a time: the concurrency bound is the number of invocations, set on the event source mapping.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, (record: SQSRecord) => handleRecord(record, deps, context), processor, {
        processInParallel: false,
        // Every record failing is still a partial response: SQS retries them, nothing is counted as a Lambda error.
        throwOnFullBatchFailure: false,
    });
}

async function handleRecord(record: SQSRecord, deps: WorkerDeps, context: LambdaTime): Promise<void> {
    const attempt = Math.max(1, Number(record.attributes?.ApproximateReceiveCount ?? "1") || 1);
    const onTransient: OnTransient = attempt >= deps.settings.maxReceiveCount ? "report-and-fail" : "retry";
    let message;
    try {
        message = parseQueueMessage(record.body);
    } catch (err) {
        // Retrying cannot fix the message; it is reported on its last delivery and kept in the dead-letter queue.
        deps.log.error("unreadable work-queue message", { messageId: record.messageId, attempt, error: (err as Error).message });
        if (onTransient === "report-and-fail") {
            deps.metrics.count(REMEDIATOR_METRICS.accountsNotReached, 1);
            const error = {
                ...classifyError(err, "reading the work-queue message"),
                whatToDo:
                    "Inspect the message in the dead-letter queue; only the reconcile and the compliance-change rule should write to the work queue.",
            };
            await deps.once.run("not-reached", `message#${record.messageId}`, context, () =>
                send(deps, formatNotReached({ trigger: "work queue", attempts: attempt, error, messageId: record.messageId })),
            );
        }
        throw err;
    }
    if (message.kind === "ignored") {
        deps.log.info("work-queue message needs no action", { messageId: record.messageId, reason: message.reason });
        return;
    }
    let work: AccountWork;
    if (message.kind === "account") {
        work = {
            accountId: message.accountId,
            trigger: `reconcile ${message.cycle}`,
            key: cycleKey(message.accountId, message.cycle),
            onTransient,
            attempt,
            messageId: record.messageId,
        };
    } else {
        if (!complianceChangeApplies(message, deps)) return;
        work = {
            accountId: message.accountId,
            trigger: `compliance change ${message.ruleName ?? ""}`.trim(),
            key: message.eventId ? eventKey(message.eventId) : undefined,
            onTransient,
            attempt,
            messageId: record.messageId,
        };
    }
    if (!accountInScope(work.accountId, deps)) return;
    await processAccount(work, deps, context);
}

/**
 * Only NON_COMPLIANT changes of the configured access-key rule(s) lead anywhere. Anything else is logged and
 * dropped before any AWS call: an event of another rule (a password policy, the MFA rules) never reaches AssumeRoot.
 */
export function complianceChangeApplies(change: ComplianceChange, deps: Pick<ProcessDeps, "settings" | "log">): boolean {
    if (!isConfiguredRule(change.ruleName, deps.settings.ruleNames)) {
        deps.log.warn("compliance change of a rule this remediator was not deployed for; ignored", {
            ruleName: change.ruleName ?? null,
            configuredRules: deps.settings.ruleNames,
            accountId: change.accountId,
            eventId: change.eventId,
        });
        return false;
    }
    if (change.complianceType && change.complianceType !== "NON_COMPLIANT") {
        deps.log.info("compliance change needs no action", {
            accountId: change.accountId,
            complianceType: change.complianceType,
            ruleName: change.ruleName,
        });
        return false;
    }
    return true;
}

/** Account mode acts only on the account it runs in. */
export function accountInScope(accountId: string, deps: Pick<WorkerDeps, "settings" | "log" | "callerAccountId">): boolean {
    if (deps.settings.mode !== "account" || deps.callerAccountId === undefined || accountId === deps.callerAccountId) return true;
    deps.log.warn("invocation for another account ignored", { accountId, ownAccount: deps.callerAccountId });
    return false;
}
