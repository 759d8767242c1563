/**
 * AWS SDK errors become one actionable line (UserError, exit 2) that names the action, the region and, when the
 * request was sent, the endpoint it went to.
 */
import { awsFailureKind, errorCode, httpStatus } from "../../aws/errors";
import { endpointOf } from "../../aws/observe";
import { isKnownRegion } from "../../core/regions";
import { UserError } from "../errors";

export interface AwsCallContext {
    /** The API action, e.g. `config:GetComplianceDetailsByConfigRule`. */
    action: string;
    region?: string;
    aggregator?: string;
    rule?: string;
}

const ACCOUNT_PERMISSIONS = "sts:GetCallerIdentity, config:DescribeComplianceByConfigRule, config:GetComplianceDetailsByConfigRule";
const ORGANIZATION_PERMISSIONS = "config:DescribeAggregateComplianceByConfigRules, config:GetAggregateComplianceDetailsByConfigRule";

type AwsErrorKind =
    | "no-credentials"
    | "no-region"
    | "rejected-credentials"
    | "access-denied"
    | "no-such-aggregator"
    | "no-such-rule"
    | "throttled"
    | "timeout"
    | "unreachable"
    | "http-status"
    | "other";

/** Which fixable failure `err` is; undefined when a person cannot act on it. */
function awsErrorKind(err: unknown): AwsErrorKind | undefined {
    const name = errorCode(err);
    // What the SDK makes of an answer with no AWS error in it (a proxy's HTML page): a name from the status
    // line at best (NotFound, BadGateway), and "Unknown" for a message.
    const status = httpStatus(err);
    if (status !== undefined && status >= 400 && /^(Unknown(Error)?)?$/.test(firstLine(err))) return "http-status";
    if (name === "NoSuchConfigurationAggregatorException") return "no-such-aggregator";
    if (name === "NoSuchConfigRuleException") return "no-such-rule";
    const kind = awsFailureKind(err);
    switch (kind) {
        case "no-credentials":
        case "no-region":
        case "rejected-credentials":
        case "access-denied":
        case "throttled":
        case "unreachable":
        case "timeout":
        case "http-status":
            return kind;
        default:
            return undefined;
    }
}

/**
 * The UserError for `err` (with `err` as its cause). Every AWS failure becomes one line naming the action, the
 * region and, where the request went somewhere, the endpoint: never the SDK's bare "Unknown".
 */
export function describeAwsError(err: unknown, ctx: AwsCallContext): UserError | undefined {
    if (err instanceof UserError) return undefined;
    const kind = awsErrorKind(err) ?? "other";
    const name = errorCode(err);
    const where = ctx.region ? ` in ${ctx.region}` : "";
    return new UserError(userMessage(kind, name, ctx, where, err), { cause: err });
}

function firstLine(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message.split("\n")[0].trim();
}

function userMessage(kind: AwsErrorKind, name: string, ctx: AwsCallContext, where: string, err: unknown): string {
    const endpoint = endpointOf(err);
    const at = endpoint ? ` at ${endpoint}` : "";
    switch (kind) {
        case "no-credentials":
            return "no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), run `aws sso login`, or run where an instance/task role is available";
        case "no-region":
            return "no AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile)";
        case "rejected-credentials":
            return `AWS rejected the credentials (${name}): refresh them (for example \`aws sso login\`) and retry`;
        case "access-denied":
            return `access denied to ${ctx.action}${where}: the caller needs ${ctx.aggregator ? ORGANIZATION_PERMISSIONS : ACCOUNT_PERMISSIONS}`;
        case "no-such-aggregator":
            return `Config aggregator "${ctx.aggregator ?? "?"}" not found${where}: check --aggregator and --region (list them with \`aws configservice describe-configuration-aggregators${ctx.region ? ` --region ${ctx.region}` : ""}\`)`;
        case "no-such-rule":
            return `Config rule "${ctx.rule ?? "?"}" is not deployed${where}: deploy rootguard's stack (pulumi up), pass the region it runs in with --region, or name your rule with --rule`;
        case "throttled":
            return `AWS kept throttling ${ctx.action}${where} after the SDK's retries (${name}): try again later, or read fewer rules with --rule`;
        case "unreachable": {
            const region =
                ctx.region && !isKnownRegion(ctx.region) ? `; ${ctx.region} is not a region rootguard knows, is it spelled right?` : "";
            return `cannot reach AWS${at} for ${ctx.action}${where} (${name}): check the network or proxy, or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CONFIG_SERVICE${region}`;
        }
        case "timeout":
            return `AWS${at} did not answer ${ctx.action}${where} in time, after the SDK's retries (${name}): check the network or proxy, or raise --connect-timeout / --request-timeout`;
        case "http-status":
            return `${endpoint ?? "the AWS endpoint"} answered ${ctx.action}${where} with HTTP ${httpStatus(err) ?? "?"} and no AWS error: a proxy or a wrong AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CONFIG_SERVICE?`;
        case "other": {
            const status = httpStatus(err);
            const detail = firstLine(err);
            const said = detail && detail !== name ? `: ${detail}` : "";
            return `${ctx.action}${where} failed${at}${status ? ` (HTTP ${status})` : ""}: ${name}${said}`;
        }
    }
}

/**
 * Whether `err` is the UserError awsCall made of Config's NoSuchConfigRuleException: decided on the AWS
 * error it wraps (its cause), not on the wording of the message.
 */
export function isNoSuchRule(err: unknown): boolean {
    return err instanceof UserError && awsErrorKind(err.cause) === "no-such-rule";
}

/** Runs an AWS call; errors a person can fix come out as UserError. */
export async function awsCall<T>(ctx: AwsCallContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        throw describeAwsError(err, ctx) ?? err;
    }
}
