/**
 * `rootguard/core`: the detection core the pack, the remediator and the CLI share — access key formats and
 * masking, the credential scanner, IAM policy document reading, AWS facts (rule identifiers, task policies,
 * event patterns) and regions. Plain functions: no Pulumi, no AWS SDK.
 */
export * from "./access-keys";
export * from "./aws-facts";
export * from "./credential-scan";
export * from "./iam-policy";
export * from "./regions";
