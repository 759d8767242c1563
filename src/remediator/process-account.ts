/**
 * One account, whatever brought it here (a work-queue message, a Config event, the Remediate button): remediate
 * once per key, count it, notify once per key. The account's work and its e-mail are separate idempotent steps
 * (./once.ts), so a retry after a failed publish sends the e-mail without acting again.
 */
import { classifyError, type ClassifiedError } from "./errors";
import { countAccount, REMEDIATOR_METRICS, type RunMetrics } from "./metrics";
import { formatAccountNotification, formatNotReached, publish, shouldNotify, type Notification } from "./notify";
import { isAlreadyInProgress, type LambdaTime, type Once } from "./once";
import { remediateAccount, type AccountDeps, type AccountReport } from "./remediate-account";

export interface ProcessDeps extends AccountDeps {
    metrics: RunMetrics;
    once: Once;
}

/**
 * What to do when an account fails in a way a later attempt may fix (throttling, timeouts) and nothing changed yet:
 * - "retry": throw, so the work queue delivers the message again (nothing is e-mailed or counted yet);
 * - "report-and-fail": the last delivery: e-mail the failure, count the account not reached, throw (dead-letter);
 * - "report": nobody retries (a direct invocation): e-mail the report as it is.
 */
export type OnTransient = "retry" | "report-and-fail" | "report";

export interface AccountWork {
    accountId: string;
    trigger: string;
    /** Idempotency key (account and cycle, or event ID); none for requests a person made (Remediate button). */
    key?: string;
    onTransient: OnTransient;
    /** Deliveries so far, for the report. */
    attempt?: number;
    messageId?: string;
}

/** Thrown so a transient failure is retried instead of reported. */
export class AccountNotReachedError extends Error {
    constructor(readonly report: AccountReport) {
        super(`account ${report.accountId} not reached: ${report.error?.code ?? "error"}`);
        this.name = "AccountNotReachedError";
    }
}

/** Nothing was changed and a failure may pass (throttling, timeout): worth another attempt before reporting. */
export function isRetryable(report: AccountReport): boolean {
    if (report.keys.some((k) => k.result === "deleted")) return false;
    const errors = [report.error, ...report.keys.map((k) => k.error)].filter((e): e is ClassifiedError => e !== undefined);
    return errors.some((e) => e.transient);
}

/** The account's report; undefined when another invocation holds the same key right now (it owns the work). */
export async function processAccount(work: AccountWork, deps: ProcessDeps, context?: LambdaTime): Promise<AccountReport | undefined> {
    const { log } = deps;
    let report: AccountReport;
    try {
        report = await deps.once.run("remediate", work.key, context, async () => {
            const r = await remediateAccount(work.accountId, work.trigger, deps);
            if (work.onTransient !== "report" && isRetryable(r)) throw new AccountNotReachedError(r);
            countAccount(r, deps.metrics);
            return r;
        });
    } catch (err) {
        if (isAlreadyInProgress(err)) {
            log.info("account already in progress elsewhere; this copy is dropped", { accountId: work.accountId, trigger: work.trigger });
            return undefined;
        }
        const error = causeOf(err);
        if (work.onTransient === "report-and-fail") {
            log.error("account not reached; going to the dead-letter queue", {
                accountId: work.accountId,
                attempts: work.attempt,
                errorKind: error.kind,
                errorCode: error.code,
                error: error.message,
            });
            const n = formatNotReached({
                accountId: work.accountId,
                trigger: work.trigger,
                attempts: work.attempt ?? 1,
                error,
                messageId: work.messageId,
            });
            // Counted and e-mailed once per key, however many copies of the message reach the dead-letter queue.
            await deps.once.run("not-reached", work.key, context, async () => {
                deps.metrics.count(REMEDIATOR_METRICS.accountsNotReached, 1);
                await send(deps, n, work.accountId);
            });
        } else {
            log.warn("account not reached; will retry", {
                accountId: work.accountId,
                attempt: work.attempt,
                errorKind: error.kind,
                errorCode: error.code,
            });
        }
        throw err;
    }
    if (shouldNotify(report))
        await deps.once.run("notify", work.key, context, () => send(deps, formatAccountNotification(report), work.accountId));
    return report;
}

function causeOf(err: unknown): ClassifiedError {
    if (err instanceof AccountNotReachedError) {
        const e = err.report.error ?? err.report.keys.find((k) => k.error?.transient)?.error;
        if (e) return e;
    }
    return classifyError(err);
}

/**
 * Publish, or only log when no topic is configured. A failed publish throws: the caller's retry (work queue,
 * EventBridge) sends it again, and the idempotent remediate step keeps the account from being acted on twice.
 */
export async function send(deps: Pick<ProcessDeps, "settings" | "clients" | "log">, n: Notification, accountId?: string): Promise<void> {
    if (!deps.settings.topicArn) {
        deps.log.warn("no SNS topic configured; notification only logged", { accountId, subject: n.subject });
        return;
    }
    try {
        await publish(deps.clients.sns, deps.settings.topicArn, n);
    } catch (err) {
        const e = classifyError(err, "sns:Publish");
        deps.log.error("notification not published", {
            accountId,
            errorKind: e.kind,
            errorCode: e.code,
            error: e.message,
            whatToDo: e.whatToDo,
        });
        throw err;
    }
    deps.log.info("notification published", { accountId, subject: n.subject });
}
