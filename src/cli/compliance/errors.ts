/**
 * AWS SDK errors that a person can fix become one actionable line (UserError, exit 2). Anything else is
 * rethrown untouched: main.ts prints its first line, redacted.
 */
import { UserError } from "../errors";

export interface AwsCallContext {
    /** The API action, e.g. `config:GetComplianceDetailsByConfigRule`. */
    action: string;
    region?: string;
    aggregator?: string;
    rule?: string;
}

const ACCOUNT_PERMISSIONS = "sts:GetCallerIdentity, config:DescribeComplianceByConfigRule, config:GetComplianceDetailsByConfigRule";
const ORGANIZATION_PERMISSIONS =
    "config:DescribeAggregateComplianceByConfigRules, config:GetAggregateComplianceDetailsByConfigRule";

const REJECTED_CREDENTIALS = new Set([
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
]);

const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "OrganizationAccessDeniedException"]);

const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "LimitExceededException"]);

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH"]);

export function errorName(err: unknown): string {
    if (typeof err !== "object" || err === null) return "";
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.name === "string" && e.name !== "Error") return e.name;
    if (typeof e.Code === "string") return e.Code;
    if (typeof e.code === "string") return e.code;
    return typeof e.name === "string" ? e.name : "";
}

/** The UserError for `err`, or undefined when it is not one a person can act on. */
export function describeAwsError(err: unknown, ctx: AwsCallContext): UserError | undefined {
    const name = errorName(err);
    const message = err instanceof Error ? err.message : String(err);
    const where = ctx.region ? ` in ${ctx.region}` : "";
    if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
        return new UserError(
            "no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), run `aws sso login`, or run where an instance/task role is available",
        );
    }
    if (message === "Region is missing") {
        return new UserError("no AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile)");
    }
    if (REJECTED_CREDENTIALS.has(name)) {
        return new UserError(`AWS rejected the credentials (${name}): refresh them (for example \`aws sso login\`) and retry`);
    }
    if (ACCESS_DENIED.has(name) || httpStatus(err) === 403) {
        const needed = ctx.aggregator ? ORGANIZATION_PERMISSIONS : ACCOUNT_PERMISSIONS;
        return new UserError(`access denied to ${ctx.action}${where}: the caller needs ${needed}`);
    }
    if (name === "NoSuchConfigurationAggregatorException") {
        return new UserError(
            `Config aggregator "${ctx.aggregator ?? "?"}" not found${where}: check --aggregator and --region (list them with \`aws configservice describe-configuration-aggregators${ctx.region ? ` --region ${ctx.region}` : ""}\`)`,
        );
    }
    if (name === "NoSuchConfigRuleException") {
        return new UserError(
            `Config rule "${ctx.rule ?? "?"}" is not deployed${where}: deploy rootguard's stack (pulumi up), pass the region it runs in with --region, or name your rule with --rule`,
        );
    }
    if (THROTTLED.has(name)) {
        return new UserError(
            `AWS kept throttling ${ctx.action}${where} after the SDK's retries (${name}): try again later, or read fewer rules with --rule`,
        );
    }
    if (UNREACHABLE.has(name) || name === "TimeoutError") {
        return new UserError(
            `cannot reach AWS for ${ctx.action}${where} (${name}): check the network or proxy, or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CONFIG_SERVICE`,
        );
    }
    return undefined;
}

export function httpStatus(err: unknown): number | undefined {
    const meta = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
    return typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
}

/** Runs an AWS call; errors a person can fix come out as UserError. */
export async function awsCall<T>(ctx: AwsCallContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        throw describeAwsError(err, ctx) ?? err;
    }
}
