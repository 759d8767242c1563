/**
 * What kind of failure an AWS SDK error is, decided once for every caller (remediator, compliance, doctor).
 * Callers turn a kind into their own advice; nobody else keeps lists of AWS error codes. Matching is on the
 * error's code and HTTP status, never on its English message, except where AWS gives nothing else.
 */

export type AwsFailureKind =
    | "no-credentials"
    | "no-region"
    | "rejected-credentials"
    | "access-denied"
    | "throttled"
    | "timeout"
    | "unreachable"
    | "region-disabled"
    | "not-found"
    | "http-status"
    | "other";

/** The AWS error code (the SDK error's name), e.g. AccessDenied; "Error" when there is none. */
export function errorCode(err: unknown): string {
    if (err && typeof err === "object") {
        const e = err as { name?: unknown; Code?: unknown; code?: unknown };
        for (const v of [e.Code, e.name, e.code]) if (typeof v === "string" && v && v !== "Error") return v;
    }
    return "Error";
}

export function httpStatus(err: unknown): number | undefined {
    const meta = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
    return typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
}

const REJECTED_CREDENTIALS = new Set([
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId",
]);

const ACCESS_DENIED = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "OrganizationAccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "AuthorizationErrorException",
    "NotAuthorized",
    "Forbidden",
]);

const THROTTLED = new Set([
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
]);

const TIMEOUT = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "ETIMEDOUT", "ESOCKETTIMEDOUT"]);

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

const NOT_FOUND = /^(NoSuch\w*|\w*NotFound(Exception)?|ResourceNotFoundException)$/;

/** The kind of `err`. First match wins, in the order a person would have to fix them. */
export function awsFailureKind(err: unknown): AwsFailureKind {
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    const status = httpStatus(err);
    if (code === "CredentialsProviderError" || /Could not load credentials/i.test(message)) return "no-credentials";
    if (message === "Region is missing" || /^Region is missing/.test(message)) return "no-region";
    if (REJECTED_CREDENTIALS.has(code)) return "rejected-credentials";
    if (ACCESS_DENIED.has(code) || status === 403) return "access-denied";
    if (code === "RegionDisabledException") return "region-disabled";
    if (THROTTLED.has(code) || status === 429) return "throttled";
    if (TIMEOUT.has(code)) return "timeout";
    if (UNREACHABLE.has(code)) return "unreachable";
    if (NOT_FOUND.test(code)) return "not-found";
    if (status !== undefined && status >= 400 && code === "Error") return "http-status";
    if (status !== undefined && status >= 400 && /^Unknown|UnknownError$/.test(code)) return "http-status";
    return "other";
}

/** Whether retrying later could help (the SDK already retried these). */
export function isTransient(kind: AwsFailureKind): boolean {
    return kind === "throttled" || kind === "timeout" || kind === "unreachable";
}
