/**
 * SNS notifications: a human summary followed by a JSON block per account, so an email reader and a
 * ticketing subscriber read the same message. Key IDs arrive masked; the whole text still passes through
 * redactCredentials as a last line of defence.
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { redactCredentials } from "../core/access-keys";
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
    for (const k of report.keys) lines.push(`- ${keyLine(k)}`);
    if (report.error) {
        lines.push(
            "",
            `Problem (${report.error.kind}, ${report.error.code}${report.error.operation ? ` in ${report.error.operation}` : ""}): ${report.error.message}`,
        );
        lines.push(`What to do: ${report.error.whatToDo}`);
    }
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

export interface RunSummary {
    trigger: string;
    startedAt: string;
    nonCompliantAccounts: number;
    completed: number;
    failed: number;
    /** Accounts not started because the Lambda ran out of time; the next reconcile picks them up. */
    notStarted: string[];
    byStatus: Record<string, number>;
}

export function formatRunSummary(summary: RunSummary): Notification {
    const lines = [
        `rootguard reconcile: ${summary.completed} of ${summary.nonCompliantAccounts} non-compliant accounts checked, ${summary.failed} with errors, ${summary.notStarted.length} left for the next run.`,
        `Statuses: ${
            Object.entries(summary.byStatus)
                .map(([s, n]) => `${s} ${n}`)
                .join(", ") || "none"
        }.`,
    ];
    if (summary.notStarted.length > 0) {
        lines.push(
            "The Lambda stopped dispatching before its timeout; these accounts were not checked this run:",
            summary.notStarted.join(", "),
        );
    }
    lines.push("", JSON_MARKER, JSON.stringify(summary, null, 2));
    return {
        subject:
            `rootguard reconcile: ${summary.completed}/${summary.nonCompliantAccounts} checked, ${summary.notStarted.length} left`.slice(
                0,
                100,
            ),
        message: redactCredentials(lines.join("\n")),
        attributes: { status: "reconcile-summary" },
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
