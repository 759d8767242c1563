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
    /** The SNS topic's name; a key created here gets the alias alias/<topicName>. */
    topicName: string;
    /** The deploying account's id, for the topic and key policies. Default: the caller's account (sts:GetCallerIdentity). */
    accountId?: pulumi.Input<string>;
    /** The AWS partition (aws, aws-cn, aws-us-gov). Default: the AWS provider's partition. */
    partition?: pulumi.Input<string>;
    /** E-mail addresses subscribed to the topic; each must confirm its subscription. */
    emails?: string[];
    /**
     * An existing KMS key for the topic (key ARN, key id, alias/… or alias ARN); its policy must admit
     * events.amazonaws.com if EventBridge publishes. Default: a customer managed key created here, whose policy admits
     * EventBridge and CloudWatch alarms of this account (EventBridge cannot publish to a topic under alias/aws/sns).
     */
    kmsKeyId?: string;
    /** Let EventBridge rules of this account publish (topic policy and, for the key created here, key policy). Default: true. */
    allowEventBridge?: boolean;
    /** Let CloudWatch alarms of this account publish (topic policy and, for the key created here, key policy). Default: true. */
    allowCloudWatchAlarms?: boolean;
    /** The region of the topic, for a bare KMS key id. Default: the program's aws:region. */
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

/** The encrypted SNS topic every rootguard alert goes to, with its e-mail subscriptions. */
export class AlertTopic extends pulumi.ComponentResource {
    /** The alert topic's ARN: where the other parts publish, and where more subscribers can subscribe. */
    readonly topicArn: pulumi.Output<string>;
    /** The alert topic's name. */
    readonly topicName: pulumi.Output<string>;
    /** ARN of the topic's KMS key, which publishers need kms:GenerateDataKey and kms:Decrypt on (aliases and key ids resolved). */
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:AlertTopic", name, {}, opts);
        const accountId = args.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = args.partition ?? aws.getPartitionOutput({}, { parent: this }).partition;
        const allowEventBridge = args.allowEventBridge ?? true;
        const allowAlarms = args.allowCloudWatchAlarms ?? true;
        const alarmSource = {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:cloudwatch:*:${accountId}:alarm:*` },
        };
        let kmsMasterKeyId: pulumi.Input<string>;
        if (args.kmsKeyId) {
            kmsMasterKeyId = args.kmsKeyId;
            // Publishers are granted the key by ARN, whatever form the config names it in (alias, key ID, mrk- ID).
            this.keyArn = kmsKeyArn(
                args.kmsKeyId,
                { partition, accountId, region: args.region ?? (aws.config.region as string) },
                { parent: this },
            );
        } else {
            const keyStatements: Statement[] = [
                {
                    Sid: "AccountAdministersAndUsesKeyThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
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
                const sourceAccount = { StringEquals: { "aws:SourceAccount": accountId } };
                keyStatements.push(serviceUsesKey("EventBridgePublishesToTheAlertTopic", "events.amazonaws.com", sourceAccount));
            }
            if (allowAlarms)
                keyStatements.push(serviceUsesKey("CloudWatchAlarmsPublishToTheAlertTopic", "cloudwatch.amazonaws.com", alarmSource));
            const key = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `rootguard alerts (${args.topicName})`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: policyDocument(keyStatements),
                },
                { parent: this },
            );
            new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.topicName}`, targetKeyId: key.keyId }, { parent: this });
            kmsMasterKeyId = key.arn;
            this.keyArn = key.arn;
        }

        const topic = new aws.sns.Topic(name, { name: args.topicName, displayName: "rootguard", kmsMasterKeyId }, { parent: this });
        this.topicArn = topic.arn;
        this.topicName = topic.name;

        const topicStatements: Statement[] = [denyInsecureTransport("sns", topic.arn)];
        const servicePublishes = (Sid: string, service: string, Condition: Statement["Condition"]): Statement => ({
            Sid,
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition,
        });
        if (allowEventBridge) {
            const sourceAccount = { StringEquals: { "aws:SourceAccount": accountId } };
            topicStatements.push(servicePublishes("EventBridgeRulesOfThisAccountPublish", "events.amazonaws.com", sourceAccount));
        }
        if (allowAlarms)
            topicStatements.push(servicePublishes("CloudWatchAlarmsOfThisAccountPublish", "cloudwatch.amazonaws.com", alarmSource));
        new aws.sns.TopicPolicy(`${name}-policy`, { arn: topic.arn, policy: policyDocument(topicStatements) }, { parent: this });

        for (const email of args.emails ?? []) {
            new aws.sns.TopicSubscription(`${name}-${email}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
        }
        this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName, keyArn: this.keyArn });
    }
}
