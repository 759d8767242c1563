/**
 * Which root access keys an account has, with the evidence a decision needs (status, creation, last use).
 * Shared by the remediator and `rootguard compliance --inventory`; secret keys are never requested (no
 * API returns them) and full key IDs stay inside RootKeyHandle.
 *
 * - member account: AssumeRoot with IAMAuditRootUserCredentials → ListAccessKeys + GetAccessKeyLastUsed;
 * - the caller's own account (standalone, or the management account, where AssumeRoot cannot go):
 *   the IAM credential report's `<root_account>` row and GetAccountSummary.
 */
import {
    GetAccessKeyLastUsedCommand,
    GetAccountSummaryCommand,
    ListAccessKeysCommand,
    type AccessKeyMetadata,
    type IAMClient,
} from "@aws-sdk/client-iam";
import type { STSClient } from "@aws-sdk/client-sts";
import { AUDIT_TASK_POLICY } from "../core/aws-facts";
import { allPages } from "../core/paging";
import { assumeRoot } from "./assume-root";
import type { SessionCredentials } from "./clients";
import { CallError, classifyError, isNoSuchEntity, type ClassifiedError } from "./errors";
import { fetchCredentialReport, parseCsv, rootKeysFromReport, type ReportPolling } from "./credential-report";
import { RootKeyHandle, type InventoryMethod, type RootAccessKey, type RootKeyInventory } from "./root-key";

export type { RootKeyInventory } from "./root-key";

export interface InventoryTarget {
    accountId: string;
    /** "assume-root" for member accounts; "credential-report" for the account whose credentials the clients hold. */
    method: InventoryMethod;
}

export interface InventoryClients {
    sts: STSClient;
    iam: IAMClient;
    iamWithCredentials(credentials: SessionCredentials): IAMClient;
}

export interface InventoryOptions {
    partition?: string;
    now?: () => Date;
    /** Credential report polling; defaults to real timers. */
    polling?: Partial<ReportPolling>;
}

/** The method that can see `accountId` from credentials that belong to `callerAccountId`. */
export function inventoryMethodFor(accountId: string, callerAccountId: string | undefined): InventoryMethod {
    return accountId === callerAccountId ? "credential-report" : "assume-root";
}

/**
 * An inventory failure, classified. The credential report path has no operation of its own in the error
 * (GetAccountSummary, Generate/GetCredentialReport), so it is labelled "credential report"; AssumeRoot
 * failures name their task themselves.
 */
export function classifyInventoryError(err: unknown, method: InventoryMethod): ClassifiedError {
    return classifyError(err, method === "credential-report" ? "credential report" : undefined);
}

export async function inventoryRootKeys(
    target: InventoryTarget,
    clients: InventoryClients,
    options: InventoryOptions = {},
): Promise<RootKeyInventory> {
    const now = options.now ?? (() => new Date());
    if (target.method === "assume-root") {
        const credentials = await assumeRoot(clients.sts, target.accountId, AUDIT_TASK_POLICY, options.partition);
        const keys = await listRootKeys(clients.iamWithCredentials(credentials), { lastUsed: true });
        return {
            accountId: target.accountId,
            method: "assume-root",
            obtainedVia: `sts:AssumeRoot (${AUDIT_TASK_POLICY}) → iam:ListAccessKeys, iam:GetAccessKeyLastUsed`,
            keys,
            inventoriedAt: now().toISOString(),
            notes: [],
        };
    }
    return credentialReportInventory(target.accountId, clients.iam, now, options.polling);
}

/** ListAccessKeys (no UserName: the session is the root user) and, when asked, GetAccessKeyLastUsed per key. */
export async function listRootKeys(iam: IAMClient, opts: { lastUsed: boolean }): Promise<RootAccessKey[]> {
    const metadata = await allPages<AccessKeyMetadata>(async (marker) => {
        const page = await iam.send(new ListAccessKeysCommand({ Marker: marker })).catch((err: unknown) => {
            throw new CallError("iam:ListAccessKeys", err);
        });
        return { items: page.AccessKeyMetadata, nextToken: page.IsTruncated ? page.Marker : undefined };
    });

    const keys: RootAccessKey[] = [];
    for (const m of metadata) {
        if (!m.AccessKeyId) continue;
        const handle = new RootKeyHandle(m.AccessKeyId);
        const key: RootAccessKey = {
            maskedKeyId: handle.masked,
            status: m.Status ?? "Unknown",
            created: m.CreateDate?.toISOString(),
            lastUsed: {},
            handle,
        };
        if (opts.lastUsed) {
            let used;
            try {
                used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: handle.reveal() }));
            } catch (err) {
                // Deleted between the list and this call: it is not in the account any more.
                if (isNoSuchEntity(err)) continue;
                throw new CallError("iam:GetAccessKeyLastUsed", err);
            }
            const u = used.AccessKeyLastUsed;
            key.lastUsed = {
                date: u?.LastUsedDate?.toISOString(),
                // IAM answers "N/A" for service and region of a key that was never used.
                service: u?.ServiceName && u.ServiceName !== "N/A" ? u.ServiceName : undefined,
                region: u?.Region && u.Region !== "N/A" ? u.Region : undefined,
            };
        }
        keys.push(key);
    }
    return keys;
}

async function credentialReportInventory(
    accountId: string,
    iam: IAMClient,
    now: () => Date,
    polling: Partial<ReportPolling> | undefined,
): Promise<RootKeyInventory> {
    const summary = await iam.send(new GetAccountSummaryCommand({}));
    const present = (summary.SummaryMap?.AccountAccessKeysPresent ?? 0) > 0;
    const report = await fetchCredentialReport(iam, {
        sleep: polling?.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        maxPolls: polling?.maxPolls,
        pollMs: polling?.pollMs,
    });
    const parsed = rootKeysFromReport(parseCsv(report.csv));
    const notes: string[] = [];
    let keys = parsed.keys;
    if (!parsed.found) notes.push("The credential report has no <root_account> row.");
    // The summary is live; the report may be up to 4 hours old. When they disagree, say so.
    if (!present && keys.length > 0) {
        notes.push("GetAccountSummary reports no root access keys now; the credential report predates their removal.");
        keys = [];
    } else if (present && keys.length === 0) {
        notes.push(
            "GetAccountSummary reports root access keys present, but the credential report predates them; details follow when it is regenerated (at most every 4 hours).",
        );
    }
    return {
        accountId,
        method: "credential-report",
        obtainedVia: "iam:GetAccountSummary (AccountAccessKeysPresent) + IAM credential report <root_account> row",
        keys,
        accessKeysPresent: present,
        reportGeneratedAt: report.generatedAt,
        inventoriedAt: now().toISOString(),
        notes,
    };
}
