/**
 * What one invocation does, given its parsed payload and injected dependencies. Always reads live state
 * (never trusts the event's compliance verdict about keys), which is what makes duplicate and
 * out-of-order events harmless: a second run finds the keys already gone and has nothing to do or say.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { isAccountId } from "../core/aws-facts";
import type { RemediatorClients } from "./clients";
import type { ReportPolling } from "./credential-report";
import { classifyError } from "./errors";
import type { Invocation } from "./invocation";
import type { Log } from "./log";
import {
    accountJson,
    formatAccountNotification,
    formatRunSummary,
    publish,
    shouldNotify,
    type Notification,
    type RunSummary,
} from "./notify";
import { fanOut, listNonCompliantAccounts } from "./reconcile";
import { remediateAccount, type AccountReport } from "./remediate-account";
import type { Settings } from "./settings";

export interface RemediatorDeps {
    settings: Settings;
    clients: RemediatorClients;
    log: Log;
    now: () => Date;
    polling?: Partial<ReportPolling>;
    /** Event IDs this container already handled (EventBridge may deliver an event more than once). */
    seenEventIds: RecentIds;
    /** Resolved once per container. */
    callerAccountId?: string;
}

export interface InvocationContext {
    getRemainingTimeInMillis(): number;
    invokedFunctionArn?: string;
}

export interface InvocationResult {
    kind: Invocation["kind"];
    skipped?: string;
    accounts?: Record<string, unknown>[];
    summary?: RunSummary;
}

export class RecentIds {
    private readonly ids = new Set<string>();
    constructor(private readonly capacity = 1000) {}
    /** True when the ID was new (and is now remembered). */
    add(id: string): boolean {
        if (this.ids.has(id)) return false;
        this.ids.add(id);
        if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
        return true;
    }
}

export async function runInvocation(invocation: Invocation, deps: RemediatorDeps, context: InvocationContext): Promise<InvocationResult> {
    const { log, settings } = deps;
    switch (invocation.kind) {
        case "ignored":
            log.info("invocation ignored", { reason: invocation.reason });
            return { kind: invocation.kind, skipped: invocation.reason };
        case "compliance-change": {
            if (invocation.eventId && !deps.seenEventIds.add(invocation.eventId)) {
                log.info("duplicate event ignored", { eventId: invocation.eventId, accountId: invocation.accountId });
                return { kind: invocation.kind, skipped: "duplicate event" };
            }
            if (invocation.complianceType && invocation.complianceType !== "NON_COMPLIANT") {
                log.info("compliance change needs no action", {
                    accountId: invocation.accountId,
                    complianceType: invocation.complianceType,
                    ruleName: invocation.ruleName,
                });
                return { kind: invocation.kind, skipped: `rule reports ${invocation.complianceType}` };
            }
            return single(invocation.kind, invocation.accountId, `compliance change ${invocation.ruleName ?? ""}`.trim(), deps, context);
        }
        case "config-remediation":
            return single(invocation.kind, invocation.accountId, "Config remediation (SSM Automation)", deps, context);
        case "reconcile": {
            if (settings.mode === "account") {
                const self = await callerAccount(deps, context);
                return single(invocation.kind, self, `reconcile (${invocation.trigger})`, deps, context);
            }
            return { kind: invocation.kind, summary: await reconcileOrganization(invocation.trigger, deps, context) };
        }
    }
}

async function single(
    kind: Invocation["kind"],
    accountId: string,
    trigger: string,
    deps: RemediatorDeps,
    context: InvocationContext,
): Promise<InvocationResult> {
    const self = await callerAccount(deps, context);
    if (deps.settings.mode === "account" && accountId !== self) {
        const reason = `account mode acts only on its own account ${self}, not ${accountId}`;
        deps.log.warn("invocation for another account ignored", { accountId, ownAccount: self });
        return { kind, skipped: reason };
    }
    const report = await checkAndNotify(accountId, trigger, deps);
    return { kind, accounts: [accountJson(report)] };
}

async function checkAndNotify(accountId: string, trigger: string, deps: RemediatorDeps): Promise<AccountReport> {
    const report = await remediateAccount(accountId, trigger, deps);
    if (shouldNotify(report)) await send(deps, formatAccountNotification(report), accountId);
    return report;
}

async function send(deps: RemediatorDeps, n: Notification, accountId?: string): Promise<void> {
    if (!deps.settings.topicArn) {
        deps.log.warn("no SNS topic configured; notification only logged", { accountId, subject: n.subject });
        return;
    }
    try {
        await publish(deps.clients.sns, deps.settings.topicArn, n);
        deps.log.info("notification published", { accountId, subject: n.subject });
    } catch (err) {
        // The action already happened and is logged; a lost notification must not undo or repeat it.
        const e = classifyError(err, "sns:Publish");
        deps.log.error("notification not published", { accountId, errorKind: e.kind, errorCode: e.code, error: e.message });
    }
}

async function reconcileOrganization(trigger: string, deps: RemediatorDeps, context: InvocationContext): Promise<RunSummary> {
    const { settings, log } = deps;
    const startedAt = deps.now().toISOString();
    await callerAccount(deps, context);
    const { accountIds, matchedRules } = await listNonCompliantAccounts(
        deps.clients.config,
        settings.aggregatorName as string,
        settings.ruleNames,
    );
    log.info("reconcile started", { nonCompliantAccounts: accountIds.length, matchedRules, concurrency: settings.concurrency });

    const run = await fanOut(accountIds, (id) => checkAndNotify(id, `reconcile (${trigger})`, deps), {
        concurrency: settings.concurrency,
        remainingMs: () => context.getRemainingTimeInMillis(),
        safetyMarginMs: settings.safetyMarginMs,
    });
    for (const f of run.failed) {
        const e = classifyError(f.error);
        log.error("account failed", { accountId: f.item, errorKind: e.kind, errorCode: e.code, error: e.message });
    }
    const byStatus: Record<string, number> = {};
    for (const c of run.completed) byStatus[c.result.status] = (byStatus[c.result.status] ?? 0) + 1;
    const summary: RunSummary = {
        trigger,
        startedAt,
        nonCompliantAccounts: accountIds.length,
        completed: run.completed.length,
        failed: run.failed.length + (byStatus.error ?? 0),
        notStarted: run.notStarted,
        byStatus,
    };
    if (run.notStarted.length > 0)
        log.warn("reconcile stopped before the Lambda timeout", { notStarted: run.notStarted.length, completed: run.completed.length });
    log.info("reconcile finished", { ...summary, notStarted: run.notStarted.length });
    if (summary.failed > 0 || summary.notStarted.length > 0) await send(deps, formatRunSummary(summary));
    return summary;
}

/** The remediator's own account: from the function ARN when there is one, else STS GetCallerIdentity. */
async function callerAccount(deps: RemediatorDeps, context: InvocationContext): Promise<string> {
    if (deps.callerAccountId) return deps.callerAccountId;
    const fromArn = context.invokedFunctionArn?.split(":")[4];
    if (isAccountId(fromArn)) {
        deps.callerAccountId = fromArn;
    } else {
        const id = await deps.clients.sts.send(new GetCallerIdentityCommand({}));
        if (!id.Account) throw new Error("STS GetCallerIdentity returned no account");
        deps.callerAccountId = id.Account;
    }
    return deps.callerAccountId;
}
