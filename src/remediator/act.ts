/**
 * Deleting root access keys in a member account: one AssumeRoot session with IAMDeleteRootUserCredentials
 * (which has no UpdateAccessKey, so keys can be deleted but never deactivated), DeleteAccessKey per key,
 * then ListAccessKeys in the same session to verify they are gone.
 */
import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import { DELETE_TASK_POLICY } from "../core/aws-facts";
import { assumeRoot } from "./assume-root";
import { classifyError, isNoSuchEntity, type ClassifiedError } from "./errors";
import type { InventoryClients } from "./inventory";
import { listRootKeys } from "./inventory";
import type { Log } from "./log";
import type { RootKeyHandle } from "./root-key";

export type DeleteResult = "deleted" | "already-gone" | "failed";

export interface DeleteOutcome {
    keyId: string;
    result: DeleteResult;
    /** Absent from a fresh ListAccessKeys after the deletes; undefined when verification could not run. */
    verifiedGone?: boolean;
    error?: ClassifiedError;
}

export async function deleteRootKeys(
    accountId: string,
    handles: RootKeyHandle[],
    clients: InventoryClients,
    log: Log,
    partition = "aws",
): Promise<{ outcomes: DeleteOutcome[]; verifyError?: ClassifiedError }> {
    if (handles.length === 0) return { outcomes: [] };
    let iam;
    try {
        iam = clients.iamWithCredentials(await assumeRoot(clients.sts, accountId, DELETE_TASK_POLICY, partition));
    } catch (err) {
        const error = classifyError(err);
        for (const h of handles)
            log.error("root access key not deleted", { accountId, keyId: h.masked, errorKind: error.kind, errorCode: error.code });
        return { outcomes: handles.map((h) => ({ keyId: h.masked, result: "failed", error })) };
    }

    const outcomes: DeleteOutcome[] = [];
    for (const h of handles) {
        log.warn("deleting root access key", { accountId, keyId: h.masked, taskPolicy: DELETE_TASK_POLICY });
        try {
            await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: h.reveal() }));
            outcomes.push({ keyId: h.masked, result: "deleted" });
            log.info("root access key deleted", { accountId, keyId: h.masked });
        } catch (err) {
            // Deleted by someone else (or a duplicate run) between list and delete: the goal is met.
            if (isNoSuchEntity(err)) {
                outcomes.push({ keyId: h.masked, result: "already-gone" });
                log.info("root access key already gone", { accountId, keyId: h.masked });
            } else {
                const error = classifyError(err, "iam:DeleteAccessKey");
                outcomes.push({ keyId: h.masked, result: "failed", error });
                log.error("root access key not deleted", {
                    accountId,
                    keyId: h.masked,
                    errorKind: error.kind,
                    errorCode: error.code,
                    error: error.message,
                });
            }
        }
    }

    try {
        const remaining = new Set((await listRootKeys(iam, { lastUsed: false })).map((k) => k.handle?.reveal()));
        for (const [i, h] of handles.entries()) {
            outcomes[i].verifiedGone = !remaining.has(h.reveal());
            log.info("verified root access key state", { accountId, keyId: h.masked, verifiedGone: outcomes[i].verifiedGone });
        }
        return { outcomes };
    } catch (err) {
        const verifyError = classifyError(err, "iam:ListAccessKeys (verify)");
        log.error("could not verify root access key deletion", { accountId, errorKind: verifyError.kind, errorCode: verifyError.code });
        return { outcomes, verifyError };
    }
}
