/**
 * AWS SDK errors that a person can fix become one actionable line (UserError, exit 2). Anything else is
 * rethrown untouched: main.ts prints its first line, redacted.
 */
import { awsFailureKind, errorCode } from "../../aws/errors";
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
    | "unreachable";

/** Which fixable failure `err` is; undefined when a person cannot act on it. */
function awsErrorKind(err: unknown): AwsErrorKind | undefined {
    const name = errorCode(err);
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
            return kind;
        case "timeout":
            return "unreachable";
        default:
            return undefined;
    }
}

/** The UserError for `err` (with `err` as its cause), or undefined when it is not one a person can act on. */
export function describeAwsError(err: unknown, ctx: AwsCallContext): UserError | undefined {
    const kind = awsErrorKind(err);
    if (kind === undefined) return undefined;
    const name = errorCode(err);
    const where = ctx.region ? ` in ${ctx.region}` : "";
    return new UserError(userMessage(kind, name, ctx, where), { cause: err });
}

function userMessage(kind: AwsErrorKind, name: string, ctx: AwsCallContext, where: string): string {
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
        case "unreachable":
            return `cannot reach AWS for ${ctx.action}${where} (${name}): check the network or proxy, or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CONFIG_SERVICE`;
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
