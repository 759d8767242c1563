/**
 * The encrypted SNS topic every rootguard alert goes to, with e-mail subscriptions.
 *
 * Why a customer managed key by default: EventBridge (the root activity alerts) cannot publish to a topic
 * encrypted with the AWS managed key `alias/aws/sns`, whose policy cannot be changed to admit
 * events.amazonaws.com. The key made here admits EventBridge for this account only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { kmsKeyArn } from "./kms-key";
import { denyInsecureTransport, policyDocument, Statement } from "./policy-document";

export interface AlertTopicArgs {
    topicName: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    emails?: string[];
    /** An existing KMS key (id, ARN or alias). Its policy must admit events.amazonaws.com if EventBridge publishes. */
    kmsKeyId?: string;
    /** Let EventBridge rules in this account publish (topic policy and key policy). Default true. */
    allowEventBridge?: boolean;
    /** Let CloudWatch alarms of this account publish (topic policy and, for the key made here, key policy). Default true. */
    allowCloudWatchAlarms?: boolean;
    /** Region of the stack, for a bare key ID; default: the provider's region. */
    region?: pulumi.Input<string>;
}

/**
 * Key administration and use, named one by one (no `kms:*`) and delegated to IAM in this account. Only actions
 * on a key belong here: kms:ListAliases, kms:CreateKey and the like have no key resource, so a key policy
 * granting them grants nothing (tests/stacks/iam-data.test.ts checks every action against AWS's data).
 */
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
    /** ARN of the key publishers need kms:GenerateDataKey/Decrypt on (aliases and key IDs resolved to it). */
    readonly keyArn?: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:AlertTopic", name, {}, opts);
        const allowEventBridge = args.allowEventBridge ?? true;
        const allowAlarms = args.allowCloudWatchAlarms ?? true;
        const alarmSource = {
            StringEquals: { "aws:SourceAccount": args.accountId },
            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${args.partition}:cloudwatch:*:${args.accountId}:alarm:*` },
        };
        let kmsMasterKeyId: pulumi.Input<string>;
        if (args.kmsKeyId) {
            kmsMasterKeyId = args.kmsKeyId;
            // Publishers are granted the key by ARN, whatever form the config names it in (alias, key ID, mrk- ID).
            this.keyArn = kmsKeyArn(
                args.kmsKeyId,
                { partition: args.partition, accountId: args.accountId, region: args.region ?? (aws.config.region as string) },
                { parent: this },
            );
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
            const serviceUsesKey = (Sid: string, service: string, Condition: Statement["Condition"]): Statement => ({
                Sid,
                Effect: "Allow",
                Principal: { Service: service },
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: "*",
                Condition,
            });
            if (allowEventBridge) {
                const sourceAccount = { StringEquals: { "aws:SourceAccount": args.accountId } };
                keyStatements.push(serviceUsesKey("EventBridgePublishesToTheAlertTopic", "events.amazonaws.com", sourceAccount));
            }
            if (allowAlarms)
                keyStatements.push(serviceUsesKey("CloudWatchAlarmsPublishToTheAlertTopic", "cloudwatch.amazonaws.com", alarmSource));
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

        const topicStatements: Statement[] = [denyInsecureTransport("sns", this.topic.arn)];
        const servicePublishes = (Sid: string, service: string, Condition: Statement["Condition"]): Statement => ({
            Sid,
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition,
        });
        if (allowEventBridge) {
            const sourceAccount = { StringEquals: { "aws:SourceAccount": args.accountId } };
            topicStatements.push(servicePublishes("EventBridgeRulesOfThisAccountPublish", "events.amazonaws.com", sourceAccount));
        }
        if (allowAlarms)
            topicStatements.push(servicePublishes("CloudWatchAlarmsOfThisAccountPublish", "cloudwatch.amazonaws.com", alarmSource));
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
