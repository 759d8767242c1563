/**
 * What one doctor check concludes, and how an AWS error becomes a cannot-check line that names what to do.
 * The error kinds come from the one classifier (src/aws/errors.ts); only the advice is doctor's.
 */
import { DeadlineError } from "../../aws/client-config";
import { awsFailureKind, errorCode } from "../../aws/errors";
import { endpointOf } from "../../aws/observe";

export type CheckStatus = "pass" | "fail" | "cannot-check";

export interface Outcome {
    status: CheckStatus;
    /** What was found, in one sentence. */
    detail: string;
    /** The exact step that makes the check pass: a config key, a CLI command or a console step. */
    fix?: string;
}

export function pass(detail: string): Outcome {
    return { status: "pass", detail };
}

export function fail(detail: string, fix: string): Outcome {
    return { status: "fail", detail, fix };
}

export function cannotCheck(detail: string, fix?: string): Outcome {
    return fix === undefined ? { status: "cannot-check", detail } : { status: "cannot-check", detail, fix };
}

/** An AWS call a check made, failed: `action` is the IAM action, e.g. `cloudtrail:DescribeTrails`. */
export class CallFailed extends Error {
    override readonly name = "CallFailed";
    constructor(
        readonly action: string,
        override readonly cause: unknown,
    ) {
        super(`${action}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
}

/** The AWS_ENDPOINT_URL_<SERVICE> name the SDK reads for an IAM service prefix. */
const ENDPOINT_ENV: Record<string, string> = {
    sts: "AWS_ENDPOINT_URL_STS",
    iam: "AWS_ENDPOINT_URL_IAM",
    organizations: "AWS_ENDPOINT_URL_ORGANIZATIONS",
    config: "AWS_ENDPOINT_URL_CONFIG_SERVICE",
    cloudtrail: "AWS_ENDPOINT_URL_CLOUDTRAIL",
    lambda: "AWS_ENDPOINT_URL_LAMBDA",
};

/**
 * Where the requests for `action` went: the variable that redirected them (tests, proxies, VPC endpoints), else
 * the endpoint the failed request was sent to, when the SDK client recorded it (src/aws/observe.ts).
 */
function endpointNote(action: string, env: NodeJS.ProcessEnv, cause?: unknown): string {
    const specific = ENDPOINT_ENV[action.split(":")[0]];
    if (specific && env[specific]) return ` at ${env[specific]} (${specific})`;
    if (env.AWS_ENDPOINT_URL) return ` at ${env.AWS_ENDPOINT_URL} (AWS_ENDPOINT_URL)`;
    const sentTo = endpointOf(cause);
    return sentTo ? ` at ${sentTo}` : "";
}

function firstLine(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return text.split("\n")[0].slice(0, 300);
}

export interface ErrorContext {
    region: string;
    env: NodeJS.ProcessEnv;
    /** Seconds in the overall deadline, for the advice after it passed. */
    timeoutSeconds: number;
}

/** A check that threw: a cannot-check line naming the call, why, and what to do. */
export function outcomeOfError(err: unknown, ctx: ErrorContext, waitingFor?: string): Outcome {
    if (err instanceof DeadlineError) {
        const what = waitingFor ? ` (waiting for ${waitingFor}${endpointNote(waitingFor, ctx.env)})` : "";
        return cannotCheck(
            `did not finish within the ${ctx.timeoutSeconds} s deadline${what}`,
            "check the network, proxy or endpoint settings, or allow more time with --timeout",
        );
    }
    if (!(err instanceof CallFailed)) return cannotCheck(`failed: ${firstLine(err)}`);
    const { action } = err;
    const cause = err.cause;
    const code = errorCode(cause);
    switch (awsFailureKind(cause)) {
        case "access-denied":
            return cannotCheck(
                `access denied to ${action} (${code})`,
                `allow ${action} for the caller (docs/cli.md, "rootguard doctor" → Permissions)`,
            );
        case "no-credentials":
            return cannotCheck(
                "no AWS credentials found",
                "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), run `aws sso login`, or set aws:profile in the stack",
            );
        case "rejected-credentials":
            return cannotCheck(
                `AWS rejected the credentials for ${action} (${code})`,
                "refresh the credentials (for example `aws sso login`) and run again",
            );
        case "unreachable":
            return cannotCheck(
                `cannot reach AWS for ${action}${endpointNote(action, ctx.env, cause)} (${code})`,
                "check the network or proxy, or the AWS_ENDPOINT_URL_* settings",
            );
        case "timeout":
            return cannotCheck(
                `${action} timed out${endpointNote(action, ctx.env, cause)} (${code})`,
                "check the network or proxy, or the AWS_ENDPOINT_URL_* settings",
            );
        case "throttled":
            return cannotCheck(`AWS kept throttling ${action} after the SDK's retries (${code})`, "run doctor again in a minute");
        case "region-disabled":
            return cannotCheck(
                `region ${ctx.region} is not enabled in this account (${code})`,
                `enable ${ctx.region} (Account console → AWS Regions) or set aws:region to an enabled region`,
            );
        default:
            return cannotCheck(`${action} failed: ${code}: ${firstLine(cause)}`);
    }
}
