/**
 * Nothing fails silently: dead-letter queues for EventBridge targets and the CloudWatch alarms that watch them,
 * small enough to reuse for any queue, rule or function of the stack.
 *
 * Every alarm here goes into ALARM on the first failure (threshold 1 in one 5-minute period) and treats missing
 * data as fine: these metrics are only published when something happens. An alarm's SNS action must be a topic
 * in the alarm's own region (CloudWatch answers "Invalid region … specified" otherwise), so an alarm outside the
 * alert topic's region gets no action and is relayed instead: its state-change event goes through the region's
 * alarm relay rule to the central event bus (see `regional-forwarder.ts`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "./policy-document";

export interface AlarmCommon {
    /** Physical name; make it start with the stack's namePrefix so the alarm relay picks it up. */
    alarmName: string;
    /** What broke and what to check: CloudWatch puts it in the notification. */
    description: string;
    /** The alert topic, when it is in the alarm's region; omit it for alarms the region's relay forwards. */
    topicArn?: pulumi.Input<string>;
    /** Resource-level region (AWS provider v7); default: the provider's. */
    region?: string;
}

function alarm(
    name: string,
    args: AlarmCommon & { namespace: string; metricName: string; statistic: string; dimensions: Record<string, pulumi.Input<string>> },
    opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            name: args.alarmName,
            alarmDescription: args.description,
            namespace: args.namespace,
            metricName: args.metricName,
            dimensions: args.dimensions,
            statistic: args.statistic,
            period: 300,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            alarmActions: args.topicArn === undefined ? [] : [args.topicArn],
            region: args.region,
        },
        opts,
    );
}

/** Messages waiting in a queue, typically a dead-letter queue (AWS/SQS ApproximateNumberOfMessagesVisible). */
export function queueDepthAlarm(
    name: string,
    args: AlarmCommon & { queueName: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    return alarm(
        name,
        {
            ...args,
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            statistic: "Maximum",
            dimensions: { QueueName: args.queueName },
        },
        opts,
    );
}

/**
 * Target invocations of an EventBridge rule that failed for good (AWS/Events FailedInvocations). Rules on a custom
 * bus publish their metrics with both EventBusName and RuleName (awsdocs/amazon-eventbridge-user-guide#11, #17);
 * rules on the default bus with RuleName alone.
 */
export function failedInvocationsAlarm(
    name: string,
    args: AlarmCommon & { ruleName: pulumi.Input<string>; eventBusName?: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    const dimensions: Record<string, pulumi.Input<string>> = { RuleName: args.ruleName };
    if (args.eventBusName !== undefined) dimensions.EventBusName = args.eventBusName;
    return alarm(name, { ...args, namespace: "AWS/Events", metricName: "FailedInvocations", statistic: "Sum", dimensions }, opts);
}

/** Invocations of a Lambda function that ended in an error (AWS/Lambda Errors). Needs only the function's name. */
export function lambdaErrorsAlarm(
    name: string,
    args: AlarmCommon & { functionName: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    return alarm(
        name,
        { ...args, namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", dimensions: { FunctionName: args.functionName } },
        opts,
    );
}

export interface EventDeadLetterQueueArgs {
    queueName: string;
    region?: string;
    /**
     * ARN patterns (`aws:SourceArn`, ArnLike) of the EventBridge rules that may send failed events here. The queue
     * must be in the rule's region and may be in another account of the organization.
     */
    ruleArnPatterns: pulumi.Input<string>[];
}

/** A standard SQS queue (EventBridge DLQs cannot be FIFO), SQS-managed encryption, 14 days, TLS only. */
export class EventDeadLetterQueue extends pulumi.ComponentResource {
    readonly queue: aws.sqs.Queue;

    constructor(name: string, args: EventDeadLetterQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:EventDeadLetterQueue", name, {}, opts);
        this.queue = new aws.sqs.Queue(
            name,
            { name: args.queueName, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600, region: args.region },
            { parent: this },
        );
        new aws.sqs.QueuePolicy(
            `${name}-policy`,
            {
                queueUrl: this.queue.url,
                region: args.region,
                policy: policyDocument([
                    denyInsecureTransport("sqs", this.queue.arn),
                    {
                        Sid: "EventBridgeRulesSendFailedEvents",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: ["sqs:SendMessage"],
                        Resource: this.queue.arn,
                        Condition: { ArnLike: { "aws:SourceArn": args.ruleArnPatterns } },
                    },
                ]),
            },
            { parent: this },
        );
        this.registerOutputs({ queueArn: this.queue.arn });
    }
}

export interface RemediatorAlarmsArgs {
    namePrefix: string;
    topicArn: pulumi.Input<string>;
    functionName: pulumi.Input<string>;
    /** The function's own dead-letter queue (failed asynchronous invocations). */
    deadLetterQueueName?: pulumi.Input<string>;
}

/** Alarms on the remediator that need nothing but its names: errors, and its dead-letter queue's depth. */
export class RemediatorAlarms extends pulumi.ComponentResource {
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: RemediatorAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RemediatorAlarms", name, {}, opts);
        this.alarms.push(
            lambdaErrorsAlarm(
                `${name}-errors`,
                {
                    alarmName: `${args.namePrefix}-remediator-errors`,
                    description:
                        "The rootguard remediator ended an invocation with an error: read its log group for the account and the cause.",
                    functionName: args.functionName,
                    topicArn: args.topicArn,
                },
                { parent: this },
            ),
        );
        if (args.deadLetterQueueName !== undefined) {
            this.alarms.push(
                queueDepthAlarm(
                    `${name}-dlq-depth`,
                    {
                        alarmName: `${args.namePrefix}-remediator-dlq`,
                        description:
                            "Remediator invocations failed after their retries and wait in its dead-letter queue: read the messages, fix the cause, run the reconcile again.",
                        queueName: args.deadLetterQueueName,
                        topicArn: args.topicArn,
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({});
    }
}
