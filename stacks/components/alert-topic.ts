/**
 * The encrypted SNS topic every rootguard alert goes to, with e-mail subscriptions.
 *
 * Why a customer managed key by default: EventBridge (the root activity alerts) cannot publish to a topic
 * encrypted with the AWS managed key `alias/aws/sns`, whose policy cannot be changed to admit
 * events.amazonaws.com. The key made here admits EventBridge for this account only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, Statement } from "./policy-document";

export interface AlertTopicArgs {
    topicName: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    emails?: string[];
    /** An existing KMS key (id, ARN or alias). Its policy must admit events.amazonaws.com if EventBridge publishes. */
    kmsKeyId?: string;
    /** Let EventBridge rules in this account publish (topic policy and key policy). Default true. */
    allowEventBridge?: boolean;
}

/** Key administration and use, named one by one (no `kms:*`) and delegated to IAM in this account. */
export const KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
    "kms:Decrypt",
    "kms:GenerateDataKey",
];

export class AlertTopic extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly topicArn: pulumi.Output<string>;
    /** The key rootguard created, if it did. */
    readonly key?: aws.kms.Key;
    /** ARN of the key publishers need kms:GenerateDataKey/Decrypt on; undefined for an alias or AWS managed key. */
    readonly keyArn?: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:AlertTopic", name, {}, opts);
        const allowEventBridge = args.allowEventBridge ?? true;
        let kmsMasterKeyId: pulumi.Input<string>;
        if (args.kmsKeyId) {
            kmsMasterKeyId = args.kmsKeyId;
            if (args.kmsKeyId.startsWith("arn:") && args.kmsKeyId.includes(":key/")) this.keyArn = pulumi.output(args.kmsKeyId);
        } else {
            const keyStatements: Statement[] = [
                {
                    Sid: "AccountAdministersAndUsesKeyThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root` },
                    Action: KEY_ADMIN_ACTIONS,
                    Resource: "*",
                },
            ];
            // CloudWatch alarms of this account publish failures of the alert path itself; EventBridge the alerts.
            const keyUsers: [string, string][] = [["CloudWatchAlarmsPublishToTheAlertTopic", "cloudwatch.amazonaws.com"]];
            if (allowEventBridge) keyUsers.push(["EventBridgePublishesToTheAlertTopic", "events.amazonaws.com"]);
            for (const [Sid, service] of keyUsers) {
                keyStatements.push({
                    Sid,
                    Effect: "Allow",
                    Principal: { Service: service },
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                });
            }
            this.key = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `rootguard alerts (${args.topicName})`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: policyDocument(keyStatements),
                },
                { parent: this },
            );
            new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.topicName}`, targetKeyId: this.key.keyId }, { parent: this });
            kmsMasterKeyId = this.key.arn;
            this.keyArn = this.key.arn;
        }

        this.topic = new aws.sns.Topic(name, { name: args.topicName, displayName: "rootguard", kmsMasterKeyId }, { parent: this });
        this.topicArn = this.topic.arn;

        const topicStatements: Statement[] = [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: this.topic.arn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ];
        topicStatements.push({
            Sid: "CloudWatchAlarmsOfThisAccountPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: {
                StringEquals: { "aws:SourceAccount": args.accountId },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${args.partition}:cloudwatch:*:${args.accountId}:alarm:*` },
            },
        });
        if (allowEventBridge) {
            topicStatements.push({
                Sid: "EventBridgeRulesOfThisAccountPublish",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: this.topic.arn,
                Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            });
        }
        new aws.sns.TopicPolicy(`${name}-policy`, { arn: this.topic.arn, policy: policyDocument(topicStatements) }, { parent: this });

        for (const email of args.emails ?? []) {
            new aws.sns.TopicSubscription(
                `${name}-${email}`,
                { topic: this.topic.arn, protocol: "email", endpoint: email },
                { parent: this },
            );
        }
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
