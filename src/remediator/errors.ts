/**
 * Turns AWS errors into something a person can act on. AWS reports the organization prerequisites of
 * AssumeRoot (trusted access, RootCredentialsManagement, RootSessions, management account or delegated
 * administrator) through AccessDenied-like errors whose wording varies, so matching is on code first and
 * message second; the original code and a redacted message are always kept.
 */
import { redactCredentials } from "../core/access-keys";
import { ASSUME_ROOT_EXEMPTION } from "../core/aws-facts";
import { awsFailureKind, errorCode, isTransient } from "../aws/errors";
import { AssumeRootError } from "./assume-root";

export type ErrorKind =
    "feature-not-enabled" | "not-management-or-delegated-admin" | "access-denied" | "region-disabled" | "throttled" | "unknown";

export interface ClassifiedError {
    kind: ErrorKind;
    /** The AWS error code (name), e.g. AccessDenied. */
    code: string;
    /** The AWS message, redacted of anything credential-shaped. */
    message: string;
    /** What a person should do about it. */
    whatToDo: string;
    /** Where it happened, e.g. "AssumeRoot IAMDeleteRootUserCredentials". */
    operation?: string;
    /** Throttling, a timeout or an unreachable endpoint: trying again later may succeed. */
    transient: boolean;
}

/** A failed AWS call, labelled with the operation so the advice can name who authorizes it. */
export class CallError extends Error {
    constructor(
        readonly operation: string,
        readonly error: unknown,
    ) {
        super(`${operation} failed`);
        this.name = "CallError";
    }
}

/** Calls sent with the AssumeRoot session: the AWS task policy authorizes them, never the remediator's role. */
const SESSION_OPERATION = /^iam:(DeleteAccessKey|ListAccessKeys|GetAccessKeyLastUsed)\b/;

const FEATURE_HINT =
    "Enable centralized root access in the management account: IAM → Root access management (or " +
    "`aws iam enable-organizations-root-credentials-management` and `aws iam enable-organizations-root-sessions`), " +
    "with trusted access for IAM in AWS Organizations (`aws organizations enable-aws-service-access --service-principal iam.amazonaws.com`).";

const ADMIN_HINT =
    "sts:AssumeRoot only works from the organization's management account or the IAM delegated administrator " +
    "(`aws organizations register-delegated-administrator --service-principal iam.amazonaws.com`), into member " +
    "accounts. Deploy the remediator there; for the management account itself use the manual steps.";

const SCP_HINT =
    "This call runs in the AssumeRoot session and is authorized by the AWS task policy, not by the remediator's role, " +
    "so granting the role more changes nothing: a service control policy on the account or one of its OUs denies it. " +
    `An SCP that denies actions by the root user must exempt AssumeRoot sessions with the condition "Null": ${JSON.stringify(ASSUME_ROOT_EXEMPTION.Null)} ` +
    "(rootguard's deny-root-actions SCP has it): add that condition to the denying statement, or detach the SCP from this account.";

export function errorMessage(err: unknown): string {
    const raw = err instanceof Error ? err.message : typeof err === "string" ? err : JSON.stringify(err ?? null);
    return redactCredentials(raw ?? "");
}

export { errorCode };

export function isNoSuchEntity(err: unknown): boolean {
    const code = errorCode(err);
    return code === "NoSuchEntity" || code === "NoSuchEntityException";
}

export function classifyError(err: unknown, operation?: string): ClassifiedError {
    if (err instanceof AssumeRootError) return classifyError(err.error, `AssumeRoot ${err.task}`);
    if (err instanceof CallError) return classifyError(err.error, operation ?? err.operation);
    const code = errorCode(err);
    const message = errorMessage(err);
    const text = `${code} ${message}`;
    const failure = awsFailureKind(err);
    const base = { code, message, operation, transient: isTransient(failure) };

    if (
        /root ?sessions?|root ?credentials? ?management|centrali[sz]ed root|not enabled for (?:your|the) organi[sz]ation|trusted access/i.test(
            text,
        )
    ) {
        return { ...base, kind: "feature-not-enabled", whatToDo: FEATURE_HINT };
    }
    if (/management account|delegated admin/i.test(text)) {
        return { ...base, kind: "not-management-or-delegated-admin", whatToDo: ADMIN_HINT };
    }
    const kind = failure;
    if (kind === "access-denied") {
        const denied = operation?.startsWith("AssumeRoot")
            ? `The remediator's role may not call sts:AssumeRoot with this task policy on this account (check its policy and the sts:TaskPolicyArn condition), the account may not be a member of the organization, or an SCP denies it. ${ADMIN_HINT}`
            : operation && SESSION_OPERATION.test(operation)
              ? SCP_HINT
              : "Grant the remediator's role the permission named in the message (docs/remediator.md, Permissions), and check SCPs and permission boundaries.";
        return { ...base, kind: "access-denied", whatToDo: denied };
    }
    if (kind === "region-disabled") {
        return {
            ...base,
            kind: "region-disabled",
            whatToDo: "Activate STS in this region for the account, or deploy the remediator in an enabled region.",
        };
    }
    if (kind === "throttled" || /rate exceeded|throttl/i.test(message)) {
        return {
            ...base,
            kind: "throttled",
            transient: true,
            whatToDo:
                "AWS kept throttling after the SDK's retries; the account is retried from the work queue, and the next reconcile tries again. Lower rootguard:concurrency if it persists.",
        };
    }
    if (kind === "timeout" || kind === "unreachable") {
        return {
            ...base,
            kind: "unknown",
            whatToDo: `AWS could not be reached or did not answer in time (${kind}); the account is retried from the work queue, and the next reconcile tries again.`,
        };
    }
    return { ...base, kind: "unknown", whatToDo: "See the message; the next scheduled reconcile will try again." };
}
