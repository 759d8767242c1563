/**
 * Turns AWS errors into something a person can act on. AWS reports the organization prerequisites of
 * AssumeRoot (trusted access, RootCredentialsManagement, RootSessions, management account or delegated
 * administrator) through AccessDenied-like errors whose wording varies, so matching is on code first and
 * message second; the original code and a redacted message are always kept.
 */
import { redactCredentials } from "../core/access-keys";
import { awsFailureKind, errorCode } from "../aws/errors";
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
}

const FEATURE_HINT =
    "Enable centralized root access in the management account: IAM → Root access management (or " +
    "`aws iam enable-organizations-root-credentials-management` and `aws iam enable-organizations-root-sessions`), " +
    "with trusted access for IAM in AWS Organizations (`aws organizations enable-aws-service-access --service-principal iam.amazonaws.com`).";

const ADMIN_HINT =
    "sts:AssumeRoot only works from the organization's management account or the IAM delegated administrator " +
    "(`aws organizations register-delegated-administrator --service-principal iam.amazonaws.com`), into member " +
    "accounts. Deploy the remediator there; for the management account itself use the manual steps.";

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
    const code = errorCode(err);
    const message = errorMessage(err);
    const text = `${code} ${message}`;
    const base = { code, message, operation };

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
    const kind = awsFailureKind(err);
    if (kind === "access-denied") {
        const denied = operation?.startsWith("AssumeRoot")
            ? `The remediator's role may not call sts:AssumeRoot with this task policy on this account (check its policy and the sts:TaskPolicyArn condition), the account may not be a member of the organization, or an SCP denies it. ${ADMIN_HINT}`
            : "Grant the remediator's role the permission named in the message (see the README's permissions), and check SCPs and permission boundaries.";
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
            whatToDo:
                "AWS kept throttling after the SDK's retries; the next scheduled reconcile will try again. Lower ROOTGUARD_CONCURRENCY if it persists.",
        };
    }
    return { ...base, kind: "unknown", whatToDo: "See the message; the next scheduled reconcile will try again." };
}
