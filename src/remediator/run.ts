/**
 * What one invocation does, given its parsed payload and injected dependencies. Every path that touches an account
 * goes through ./process-account (idempotent work and notification); the scheduled reconcile only lists and
 * enqueues. Live state is always read (the event's verdict about keys is never trusted), which keeps duplicate and
 * out-of-order events harmless even where no idempotency key exists.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { SQSBatchResponse } from "aws-lambda";
import { isAccountId } from "../core/aws-facts";
import type { ReportPolling } from "./credential-report";
import type { Invocation } from "./invocation";
import { REMEDIATOR_METRICS } from "./metrics";
import { accountJson, formatReconcileProblem, type ReconcileSummary } from "./notify";
import { processAccount, send, type ProcessDeps } from "./process-account";
import { enqueueAccounts, nonCompliantAccountPages, resolveRuleNames } from "./reconcile";
import { accountInScope, complianceChangeApplies, cycleKey, eventKey, handleQueueBatch } from "./worker";

export interface RemediatorDeps extends ProcessDeps {
    polling?: Partial<ReportPolling>;
    /** Resolved once per container. */
    callerAccountId?: string;
}

export interface InvocationContext {
    getRemainingTimeInMillis(): number;
    invokedFunctionArn?: string;
}

export interface InvocationResult {
    kind: Exclude<Invocation["kind"], "queue-batch">;
    skipped?: string;
    accounts?: Record<string, unknown>[];
    reconcile?: ReconcileSummary;
}

export async function runInvocation(
    invocation: Invocation,
    deps: RemediatorDeps,
    context: InvocationContext,
): Promise<InvocationResult | SQSBatchResponse> {
    const { log } = deps;
    switch (invocation.kind) {
        case "ignored":
            log.info("invocation ignored", { reason: invocation.reason });
            return { kind: invocation.kind, skipped: invocation.reason };
        case "queue-batch":
            await callerAccount(deps, context);
            return handleQueueBatch(invocation.event, deps, context);
        case "compliance-change": {
            if (!complianceChangeApplies(invocation, deps)) {
                return {
                    kind: invocation.kind,
                    skipped: `rule ${invocation.ruleName ?? "(none)"} / ${invocation.complianceType ?? "?"} needs no action`,
                };
            }
            const key = invocation.eventId ? eventKey(invocation.eventId) : undefined;
            return single(
                invocation.kind,
                invocation.accountId,
                `compliance change ${invocation.ruleName ?? ""}`.trim(),
                key,
                deps,
                context,
            );
        }
        case "config-remediation":
            return single(invocation.kind, invocation.accountId, "Config remediation (SSM Automation)", undefined, deps, context);
        case "reconcile":
            return reconcile(invocation, deps, context);
    }
}

async function single(
    kind: InvocationResult["kind"],
    accountId: string,
    trigger: string,
    key: string | undefined,
    deps: RemediatorDeps,
    context: InvocationContext,
): Promise<InvocationResult> {
    await callerAccount(deps, context);
    if (!accountInScope(accountId, deps)) {
        return { kind, skipped: `account mode acts only on its own account ${deps.callerAccountId}, not ${accountId}` };
    }
    // Nobody retries a direct invocation's transient failure for us: report it as it is.
    const report = await processAccount({ accountId, trigger, key, onTransient: "report" }, deps, context);
    if (!report) return { kind, skipped: "the same event is being handled by another invocation" };
    return { kind, accounts: [accountJson(report)] };
}

/**
 * Account mode: its own account. Organization mode: every NON_COMPLIANT account of the access-key rule, one work-queue
 * message each. Without a queue (a hand-made deployment) account mode checks its account inline.
 */
async function reconcile(
    invocation: Extract<Invocation, { kind: "reconcile" }>,
    deps: RemediatorDeps,
    context: InvocationContext,
): Promise<InvocationResult> {
    const { settings, log } = deps;
    const self = await callerAccount(deps, context);
    const cycle = invocation.cycle ?? deps.now().toISOString();
    const trigger = `reconcile (${invocation.trigger})`;
    if (settings.mode === "account") {
        if (!settings.queueUrl) return single("reconcile", self, trigger, cycleKey(self, cycle), deps, context);
        await enqueueAccounts(deps.clients.sqs, settings.queueUrl, [self], cycle);
        deps.metrics.count(REMEDIATOR_METRICS.accountsEnqueued, 1);
        const summary: ReconcileSummary = {
            trigger,
            cycle,
            rules: settings.ruleNames,
            unresolvedRules: [],
            nonCompliantAccounts: 1,
            enqueued: 1,
            pages: 0,
        };
        log.info("reconcile enqueued", { ...summary });
        return { kind: "reconcile", reconcile: summary };
    }
    if (!settings.queueUrl)
        throw new Error("ROOTGUARD_QUEUE_URL: the organization reconcile puts accounts on the work queue, and none is configured");
    const aggregator = settings.aggregatorName as string;
    const { resolved, unresolved } = await resolveRuleNames(deps.clients.config, aggregator, settings.ruleNames, {
        accountId: self,
        region: settings.region,
    });
    const summary: ReconcileSummary = {
        trigger,
        cycle,
        rules: resolved,
        unresolvedRules: unresolved,
        nonCompliantAccounts: 0,
        enqueued: 0,
        pages: 0,
    };
    log.info("reconcile started", { cycle, rules: resolved, unresolvedRules: unresolved });
    const seen = new Set<string>();
    for (const rule of resolved) {
        for await (const page of nonCompliantAccountPages(deps.clients.config, aggregator, rule)) {
            summary.pages++;
            // An account is listed once per region it reports from, on any page: enqueue it once.
            const fresh = page.filter((id) => !seen.has(id) && seen.add(id) !== undefined);
            await enqueueAccounts(deps.clients.sqs, settings.queueUrl, fresh, cycle);
            summary.enqueued += fresh.length;
            deps.metrics.count(REMEDIATOR_METRICS.accountsEnqueued, fresh.length);
        }
    }
    summary.nonCompliantAccounts = seen.size;
    log.info("reconcile enqueued", { ...summary });
    if (unresolved.length > 0) {
        log.error("configured rule not found in the aggregator", { unresolvedRules: unresolved, aggregatorName: aggregator });
        await send(deps, formatReconcileProblem(summary, aggregator));
    }
    return { kind: "reconcile", reconcile: summary };
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
