/**
 * The remediator role's permissions, derived from what the handler calls. `SDK_COMMAND_ACTIONS` maps each AWS
 * SDK v3 command the remediator may send to the IAM action it needs; a test reads the handler's source (and the
 * Powertools idempotency layer's, which sends DynamoDB commands on its behalf) and fails if it sends a command
 * missing here, so the role never silently lags the code.
 */
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_TASK_POLICY, DELETE_TASK_POLICY, taskPolicyArn } from "../../src/core/aws-facts";
import { RemediationAction } from "../../src/remediator/contract";
import { Statement } from "./policy-document";

/** SDK command → IAM action; undefined: the command needs no permission of the Lambda role. */
export const SDK_COMMAND_ACTIONS: Record<string, string | undefined> = {
    GenerateCredentialReportCommand: "iam:GenerateCredentialReport",
    GetCredentialReportCommand: "iam:GetCredentialReport",
    GetAccountSummaryCommand: "iam:GetAccountSummary",
    PublishCommand: "sns:Publish",
    AssumeRootCommand: "sts:AssumeRoot",
    DescribeAggregateComplianceByConfigRulesCommand: "config:DescribeAggregateComplianceByConfigRules",
    // The reconcile enqueues accounts; SendMessageBatch is authorized as sqs:SendMessage.
    SendMessageBatchCommand: "sqs:SendMessage",
    // Powertools Idempotency (DynamoDBPersistenceLayer) on the idempotency table.
    PutItemCommand: "dynamodb:PutItem",
    GetItemCommand: "dynamodb:GetItem",
    UpdateItemCommand: "dynamodb:UpdateItem",
    DeleteItemCommand: "dynamodb:DeleteItem",
    // GetCallerIdentity needs no permission.
    GetCallerIdentityCommand: undefined,
    // Sent with AssumeRoot session credentials: the task policy authorizes these, not the Lambda role.
    ListAccessKeysCommand: undefined,
    GetAccessKeyLastUsedCommand: undefined,
    DeleteAccessKeyCommand: undefined,
};

/** Commands sent with the AssumeRoot session; the role itself never gets these IAM writes. */
export const TASK_SESSION_COMMANDS = ["ListAccessKeysCommand", "GetAccessKeyLastUsedCommand", "DeleteAccessKeyCommand"];

/** What the Lambda service does with the function's role to poll the work queue (SQS event source mapping). */
export const EVENT_SOURCE_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

/** What Powertools Idempotency does on the table. */
export const IDEMPOTENCY_ACTIONS = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

export interface RemediatorPermissionInput {
    mode: "account" | "organization";
    remediation: RemediationAction;
    dryRun: boolean;
    partition: pulumi.Input<string>;
    topicArn: pulumi.Input<string>;
    /** Customer managed key of the topic: publishers need GenerateDataKey/Decrypt on it. */
    topicKeyArn?: pulumi.Input<string>;
    aggregatorArn?: pulumi.Input<string>;
    logGroupArn: pulumi.Input<string>;
    deadLetterQueueArn: pulumi.Input<string>;
    /** The work queue: the reconcile sends to it, the event source mapping receives from it. */
    workQueueArn: pulumi.Input<string>;
    idempotencyTableArn: pulumi.Input<string>;
}

/** Which task policies the role may pass to sts:AssumeRoot: delete only when the configuration can delete. */
export function allowedTaskPolicies(remediation: RemediationAction, dryRun: boolean): string[] {
    return remediation === "notify" || dryRun ? [AUDIT_TASK_POLICY] : [AUDIT_TASK_POLICY, DELETE_TASK_POLICY];
}

export function remediatorStatements(p: RemediatorPermissionInput): Statement[] {
    const statements: Statement[] = [
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${p.logGroupArn}:log-stream:*`,
        },
        { Sid: "DeadLetterQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: p.deadLetterQueueArn },
        { Sid: "EnqueueAccounts", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: p.workQueueArn },
        { Sid: "ConsumeWorkQueue", Effect: "Allow", Action: EVENT_SOURCE_ACTIONS, Resource: p.workQueueArn },
        { Sid: "IdempotencyRecords", Effect: "Allow", Action: IDEMPOTENCY_ACTIONS, Resource: p.idempotencyTableArn },
        { Sid: "Notify", Effect: "Allow", Action: ["sns:Publish"], Resource: p.topicArn },
        {
            // The deploying account's own root user: inventory from the credential report (no resource-level
            // permissions exist for these three actions).
            Sid: "InventoryThisAccountsRootUser",
            Effect: "Allow",
            Action: ["iam:GenerateCredentialReport", "iam:GetCredentialReport", "iam:GetAccountSummary"],
            Resource: "*",
        },
    ];
    if (p.topicKeyArn !== undefined) {
        statements.push({
            Sid: "EncryptNotifications",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: p.topicKeyArn,
        });
    }
    if (p.mode === "organization") {
        if (p.aggregatorArn !== undefined) {
            statements.push({
                Sid: "ReadOrganizationCompliance",
                Effect: "Allow",
                Action: ["config:DescribeAggregateComplianceByConfigRules"],
                Resource: p.aggregatorArn,
            });
        }
        statements.push({
            Sid: "AssumeRootWithTaskPoliciesOnly",
            Effect: "Allow",
            Action: ["sts:AssumeRoot"],
            Resource: pulumi.interpolate`arn:${p.partition}:iam::*:root`,
            Condition: {
                StringEquals: {
                    "sts:TaskPolicyArn": pulumi
                        .output(p.partition)
                        .apply((partition) => allowedTaskPolicies(p.remediation, p.dryRun).map((n) => taskPolicyArn(n, partition))),
                },
            },
        });
    }
    return statements;
}
