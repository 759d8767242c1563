/**
 * SNS notifications: a human summary followed by a JSON block per account, so an email reader and a
 * ticketing subscriber read the same message. Key IDs arrive masked; the whole text still passes through
 * redactCredentials as a last line of defence.
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { redactCredentials } from "../core/access-keys";
import type { ClassifiedError } from "./errors";
import type { AccountReport, KeyReport } from "./remediate-account";

export const JSON_MARKER = "--- rootguard JSON ---";

export interface Notification {
    subject: string;
    message: string;
    attributes: Record<string, string>;
}

/** Clean accounts are not news; everything else (keys, actions, errors) is. */
export function shouldNotify(report: AccountReport): boolean {
    return report.status !== "clean";
}

const HEADLINE: Record<AccountReport["status"], string> = {
    clean: "no root access keys",
    remediated: "root access keys deleted",
    "keys-present": "root access keys present",
    error: "root access key check needs attention",
};

export function formatAccountNotification(report: AccountReport): Notification {
    const lines: string[] = [];
    const mode = `${report.mode} mode, action ${report.action}${report.dryRun ? ", dry run" : ""}`;
    lines.push(`rootguard: ${HEADLINE[report.status]} in account ${report.accountId} (${mode}).`, "");
    if (report.inventory) {
        const n = report.keys.length;
        lines.push(`Found ${n === 0 ? "no" : n} root access key${n === 1 ? "" : "s"} via ${report.inventory.obtainedVia}.`);
        if (report.inventory.reportGeneratedAt) lines.push(`Credential report generated ${report.inventory.reportGeneratedAt}.`);
        for (const note of report.inventory.notes) lines.push(`Note: ${note}`);
    }
    for (const k of report.keys) {
        lines.push(`- ${keyLine(k)}`);
        if (k.error) lines.push(...failureLines(k.error, "  "));
    }
    if (report.error) lines.push("", ...failureLines(report.error, ""));
    if (report.whyNoAutomation && report.keys.length > 0) lines.push("", report.whyNoAutomation);
    if (report.manualSteps) {
        lines.push("", "To remove root access keys by hand:");
        report.manualSteps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
    }
    lines.push("", `Console: ${report.consoleUrl}`, `Checked ${report.checkedAt} (trigger: ${report.trigger}).`, "", JSON_MARKER);
    lines.push(JSON.stringify(accountJson(report), null, 2));
    return {
        subject: `rootguard: ${HEADLINE[report.status]} in ${report.accountId}`.slice(0, 100),
        message: redactCredentials(lines.join("\n")),
        attributes: { accountId: report.accountId, status: report.status },
    };
}

function keyLine(k: KeyReport): string {
    const used = k.lastUsed.date
        ? `last used ${k.lastUsed.date.slice(0, 10)} (${k.lastUsed.service ?? "unknown service"}, ${k.lastUsed.region ?? "unknown region"})`
        : "never used";
    const created = k.created ? `created ${k.created.slice(0, 10)}` : "creation date unknown";
    const outcome =
        k.result === "deleted" || k.result === "already-gone"
            ? `${k.result === "deleted" ? "deleted" : "already gone"}${k.verifiedGone === true ? " (verified)" : k.verifiedGone === false ? " (STILL PRESENT after delete)" : ""}`
            : k.result === "failed"
              ? `delete FAILED: ${k.error?.kind ?? "error"}`
              : k.result === "dry-run"
                ? "would be deleted (dry run)"
                : k.result === "manual"
                  ? "needs a person (see below)"
                  : "kept";
    return `${k.keyId} (${k.status}), ${created}, ${used}\n  ${k.decision}: ${k.reason} -> ${outcome}`;
}

/** A failure in words: what failed, the cause AWS gave, and the fix. */
export function failureLines(error: ClassifiedError, indent: string): string[] {
    return [
        `${indent}Failed: ${error.operation ?? "the root access key check"} (${error.kind})`,
        `${indent}Cause: ${error.code}: ${error.message}`,
        `${indent}Fix: ${error.whatToDo}`,
    ];
}

/** The machine-readable block: stable field names, masked key IDs only. */
export function accountJson(report: AccountReport): Record<string, unknown> {
    return {
        accountId: report.accountId,
        checkedAt: report.checkedAt,
        trigger: report.trigger,
        mode: report.mode,
        action: report.action,
        dryRun: report.dryRun,
        status: report.status,
        inventory: report.inventory,
        keys: report.keys.map((k) => ({
            keyId: k.keyId,
            status: k.status,
            created: k.created ?? null,
            lastUsed: { date: k.lastUsed.date ?? null, service: k.lastUsed.service ?? null, region: k.lastUsed.region ?? null },
            decision: k.decision,
            reason: k.reason,
            action: k.action,
            result: k.result,
            ...(k.verifiedGone !== undefined ? { verifiedGone: k.verifiedGone } : {}),
            ...(k.error ? { error: k.error } : {}),
        })),
        canAct: report.canAct,
        ...(report.whyNoAutomation ? { whyNoAutomation: report.whyNoAutomation } : {}),
        ...(report.error ? { error: report.error } : {}),
        consoleUrl: report.consoleUrl,
        ...(report.manualSteps ? { manualSteps: report.manualSteps } : {}),
    };
}

/** What a scheduled reconcile did: the rules it read, the accounts it put on the work queue. */
export interface ReconcileSummary {
    trigger: string;
    cycle: string;
    /** The exact rule names read from the aggregator (organization rules under their generated names). */
    rules: string[];
    /** Configured rules the aggregator does not know in any form. */
    unresolvedRules: string[];
    nonCompliantAccounts: number;
    enqueued: number;
    pages: number;
}

/** Sent only when the reconcile could not read a configured rule: otherwise accounts would silently go unchecked. */
export function formatReconcileProblem(summary: ReconcileSummary, aggregatorName: string): Notification {
    const lines = [
        `rootguard reconcile: the Config aggregator ${aggregatorName} has no results for ${summary.unresolvedRules.join(", ")}, so no account was checked for ${summary.unresolvedRules.length === 1 ? "it" : "them"} this cycle.`,
        "",
        `Failed: reading the non-compliant accounts of ${summary.unresolvedRules.join(", ")}`,
        `Cause: no rows under that name, nor under an organization copy named ${summary.unresolvedRules.map((n) => `OrgConfigRule-${n}-<suffix>`).join(", ")}.`,
        "Fix: right after the first deployment this is expected until Config has evaluated the rule and the aggregator has collected the results (up to a few hours). Otherwise check that the rule is deployed (rootguard:mode organization deploys it to every member account), that the aggregator collects the stack's region, and that ROOTGUARD_RULE_NAMES names the rule.",
        "",
        JSON_MARKER,
        JSON.stringify(summary, null, 2),
    ];
    return {
        subject: `rootguard reconcile: rule ${summary.unresolvedRules.join(", ")} not found in ${aggregatorName}`.slice(0, 100),
        message: redactCredentials(lines.join("\n")),
        attributes: { status: "reconcile-problem" },
    };
}

/** An account (or an unreadable message) the remediator gave up on: it goes to the dead-letter queue. */
export interface NotReached {
    accountId?: string;
    trigger: string;
    attempts: number;
    error: ClassifiedError;
    messageId?: string;
}

export function formatNotReached(n: NotReached): Notification {
    const who = n.accountId ? `account ${n.accountId}` : `work queue message ${n.messageId ?? "(no id)"}`;
    const lines = [
        `rootguard: ${who} could not be checked after ${n.attempts} attempt${n.attempts === 1 ? "" : "s"}; the message goes to the remediator's dead-letter queue.`,
        "",
        ...failureLines(n.error, ""),
        "",
        "After fixing the cause, redrive the dead-letter queue to the work queue (SQS console → the -dlq queue → Start DLQ redrive), or wait for the next scheduled reconcile.",
        `Trigger: ${n.trigger}.`,
        "",
        JSON_MARKER,
        JSON.stringify({ status: "not-reached", ...n }, null, 2),
    ];
    return {
        subject: `rootguard: ${who} not reached (dead-letter queue)`.slice(0, 100),
        message: redactCredentials(lines.join("\n")),
        attributes: { ...(n.accountId ? { accountId: n.accountId } : {}), status: "not-reached" },
    };
}

export async function publish(sns: SNSClient, topicArn: string, n: Notification): Promise<void> {
    await sns.send(
        new PublishCommand({
            TopicArn: topicArn,
            Subject: n.subject,
            Message: n.message,
            MessageAttributes: Object.fromEntries(
                Object.entries(n.attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
            ),
        }),
    );
}
