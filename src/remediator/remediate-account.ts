/**
 * One account, start to finish: inventory → decision per key → delete where allowed → verify → report.
 * Never throws: every failure becomes part of the report, so one account cannot stop a reconcile.
 */
import { MANUAL_ROOT_KEY_STEPS, ROOT_SECURITY_CREDENTIALS_URL } from "../core/aws-facts";
import { deleteRootKeys } from "./act";
import type { RemediatorClients } from "./clients";
import type { GuardrailMode, RemediationAction } from "./contract";
import type { ReportPolling } from "./credential-report";
import { decideKey, type Decision } from "./decide";
import type { ClassifiedError } from "./errors";
import { classifyInventoryError, inventoryMethodFor, inventoryRootKeys } from "./inventory";
import type { Log } from "./log";
import type { InventoryMethod, LastUse, RootKeyHandle } from "./root-key";
import type { Settings } from "./settings";

export type KeyResult = "kept" | "deleted" | "already-gone" | "failed" | "dry-run" | "manual";

export interface KeyReport {
    /** Masked (AKIA****WXYZ), or the credential report slot ("access key 1"). */
    keyId: string;
    status: string;
    created?: string;
    lastUsed: LastUse;
    decision: Decision;
    reason: string;
    /** What the remediator did to the key. */
    action: "none" | "DeleteAccessKey";
    result: KeyResult;
    /** A fresh ListAccessKeys no longer shows the key. */
    verifiedGone?: boolean;
    error?: ClassifiedError;
}

export type AccountStatus = "clean" | "remediated" | "keys-present" | "error";

export interface AccountReport {
    accountId: string;
    checkedAt: string;
    trigger: string;
    mode: GuardrailMode;
    action: RemediationAction;
    dryRun: boolean;
    status: AccountStatus;
    inventory?: { method: InventoryMethod; obtainedVia: string; reportGeneratedAt?: string; notes: string[] };
    keys: KeyReport[];
    /** Whether an API exists here that can delete the keys. */
    canAct: boolean;
    whyNoAutomation?: string;
    error?: ClassifiedError;
    consoleUrl: string;
    manualSteps?: readonly string[];
}

export interface AccountDeps {
    settings: Settings;
    clients: RemediatorClients;
    log: Log;
    now: () => Date;
    /** The account the remediator's own credentials belong to. */
    callerAccountId?: string;
    polling?: Partial<ReportPolling>;
}

export async function remediateAccount(accountId: string, trigger: string, deps: AccountDeps): Promise<AccountReport> {
    const { settings, log } = deps;
    const method = settings.mode === "account" ? "credential-report" : inventoryMethodFor(accountId, deps.callerAccountId);
    const canAct = method === "assume-root";
    const report: AccountReport = {
        accountId,
        checkedAt: deps.now().toISOString(),
        trigger,
        mode: settings.mode,
        action: settings.action,
        dryRun: settings.dryRun,
        status: "clean",
        keys: [],
        canAct,
        whyNoAutomation: canAct ? undefined : whyNoAutomation(settings.mode),
        consoleUrl: ROOT_SECURITY_CREDENTIALS_URL,
    };

    let inventory;
    try {
        inventory = await inventoryRootKeys({ accountId, method }, deps.clients, {
            partition: settings.partition,
            now: deps.now,
            polling: deps.polling,
        });
    } catch (err) {
        report.error = classifyInventoryError(err, method);
        report.status = "error";
        report.canAct = false;
        report.manualSteps = MANUAL_ROOT_KEY_STEPS;
        log.error("root key inventory failed", {
            accountId,
            trigger,
            errorKind: report.error.kind,
            errorCode: report.error.code,
            error: report.error.message,
            operation: report.error.operation,
        });
        return report;
    }
    report.inventory = {
        method: inventory.method,
        obtainedVia: inventory.obtainedVia,
        reportGeneratedAt: inventory.reportGeneratedAt,
        notes: inventory.notes,
    };

    const now = deps.now();
    const toDelete: { index: number; handle: RootKeyHandle }[] = [];
    for (const key of inventory.keys) {
        // Without a key ID (credential report) nothing can act on the key, whatever the account.
        const keyCanAct = canAct && key.handle !== undefined;
        const d = decideKey(
            { status: key.status, created: key.created, lastUsedDate: key.lastUsed.date },
            { action: settings.action, unusedDays: settings.unusedDays, dryRun: settings.dryRun, canAct: keyCanAct, now },
        );
        const result: KeyResult = d.decision === "would-delete" ? "dry-run" : d.decision === "manual" ? "manual" : "kept";
        report.keys.push({
            keyId: key.maskedKeyId,
            status: key.status,
            created: key.created,
            lastUsed: key.lastUsed,
            decision: d.decision,
            reason: d.reason,
            action: "none",
            result,
        });
        log.info("root access key decision", {
            accountId,
            keyId: key.maskedKeyId,
            status: key.status,
            decision: d.decision,
            reason: d.reason,
            dryRun: settings.dryRun,
        });
        if (d.decision === "delete" && key.handle) toDelete.push({ index: report.keys.length - 1, handle: key.handle });
    }

    if (toDelete.length > 0) {
        const { outcomes, verifyError } = await deleteRootKeys(
            accountId,
            toDelete.map((t) => t.handle),
            deps.clients,
            log,
            settings.partition,
        );
        for (const [i, o] of outcomes.entries()) {
            const k = report.keys[toDelete[i].index];
            k.action = "DeleteAccessKey";
            k.result = o.result;
            k.verifiedGone = o.verifiedGone;
            k.error = o.error;
        }
        if (verifyError) report.error = verifyError;
    }

    const remaining = report.keys.filter((k) => !(k.result === "deleted" || k.result === "already-gone"));
    // A delete that could not be verified is not reported as remediated.
    const failed = report.keys.some((k) => k.result === "failed" || k.verifiedGone === false) || report.error !== undefined;
    if (failed) report.status = "error";
    else if (remaining.length > 0 || (inventory.accessKeysPresent && inventory.keys.length === 0)) report.status = "keys-present";
    else report.status = report.keys.length > 0 ? "remediated" : "clean";
    if (report.status !== "clean" && report.status !== "remediated") report.manualSteps = MANUAL_ROOT_KEY_STEPS;
    log.info("account checked", { accountId, trigger, status: report.status, keys: report.keys.length, method });
    return report;
}

function whyNoAutomation(mode: GuardrailMode): string {
    return mode === "account"
        ? "Account mode: no AWS API lets a non-root principal delete or deactivate root access keys in a standalone account; a person signed in as root must."
        : "This is the account the remediator runs in (the management account or the IAM delegated administrator): sts:AssumeRoot only targets member accounts, so a person signed in as root must act here.";
}
