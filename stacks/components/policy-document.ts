/**
 * IAM policy documents as typed data. Every document the stack writes goes through here, so the
 * "no wildcard actions" rule can be enforced where documents are made, not only in tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { hasWildcard } from "../../src/core/iam-policy";

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, pulumi.Input<string | pulumi.Input<string>[]>> | "*";
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string | pulumi.Input<string>[]>>>;
}

/** Allow statements with `*` in an action are refused: rootguard's own roles name every action they use. */
function assertNamedActions(statements: readonly Statement[]): void {
    for (const st of statements) {
        if (st.Effect !== "Allow") continue;
        for (const action of Array.isArray(st.Action) ? st.Action : [st.Action]) {
            if (hasWildcard(action)) {
                throw new Error(`rootguard: policy statement ${st.Sid ?? ""} allows the wildcard action ${action}`);
            }
        }
    }
}

export function policyDocument(statements: Statement[]): pulumi.Output<string> {
    assertNamedActions(statements);
    return pulumi.jsonStringify(pulumi.output({ Version: "2012-10-17", Statement: statements }));
}

/**
 * Deny every request to the resource that does not use TLS. The action is the service's `*`: a list of a few
 * actions would leave every other action open to plain HTTP (S3, SNS and SQS all document the `<service>:*` form).
 */
export function denyInsecureTransport(service: "s3" | "sns" | "sqs", resources: pulumi.Input<string> | pulumi.Input<string>[]): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * What each service sends as `aws:SourceArn` when it assumes a role for this account, per its confused-deputy
 * documentation: AWS Config ("AWS Config also supports the AWS:SourceArn condition", iamrole-permissions),
 * SSM Automation (automation executions), EventBridge (the rule that invokes the target). The partition may be
 * `*` (ArnLike): the account pins the source either way.
 */
const SOURCE_ARN_PATTERNS: Record<string, (partition: string, account: string) => string> = {
    "config.amazonaws.com": (p, a) => `arn:${p}:config:*:${a}:*`,
    "ssm.amazonaws.com": (p, a) => `arn:${p}:ssm:*:${a}:automation-execution/*`,
    "events.amazonaws.com": (p, a) => `arn:${p}:events:*:${a}:rule/*`,
};

/**
 * Services whose role trust gets no source conditions, and why. Lambda documents none for the execution role
 * (it assumes the role for the function, not on behalf of a request): a condition it does not send would stop
 * the function from ever getting credentials.
 */
export const TRUST_WITHOUT_SOURCE: Readonly<Record<string, string>> = {
    "lambda.amazonaws.com": "Lambda documents no aws:SourceArn/aws:SourceAccount for assuming a function's execution role",
};

function isTrustSource(source: pulumi.Input<string> | TrustSource): source is TrustSource {
    return typeof source === "object" && !pulumi.Output.isInstance(source) && !(source instanceof Promise) && "account" in source;
}

export interface TrustSource {
    account: pulumi.Input<string>;
    /** Default `*` (any partition; the account pins it). */
    partition?: pulumi.Input<string>;
    /** The exact source (for example one EventBridge rule's ARN); default: the service's pattern for this account. */
    arn?: pulumi.Input<string>;
}

/**
 * Trust policy for an AWS service. With a source (an account id, or `{ account, partition, arn }`), limited by
 * `aws:SourceAccount` and `aws:SourceArn` against the confused deputy problem.
 */
export function serviceTrustPolicy(service: string, source?: pulumi.Input<string> | TrustSource): pulumi.Output<string> {
    if (source === undefined || service in TRUST_WITHOUT_SOURCE) {
        return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
    }
    const s: TrustSource = isTrustSource(source) ? source : { account: source };
    const pattern = SOURCE_ARN_PATTERNS[service];
    const sourceArn =
        s.arn ??
        (pattern === undefined
            ? undefined
            : pulumi.all([s.partition ?? "*", s.account]).apply(([partition, account]) => pattern(partition, account)));
    if (sourceArn === undefined) throw new Error(`rootguard: no aws:SourceArn form known for ${service}; pass TrustSource.arn`);
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": s.account }, ArnLike: { "aws:SourceArn": sourceArn } },
        },
    ]);
}
