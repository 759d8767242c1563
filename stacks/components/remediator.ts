/**
 * The remediator and what drives it. A schedule invokes the function to reconcile: it lists the non-compliant
 * accounts of the access-key rule and puts one message per account on a work queue. The same function consumes that
 * queue through an SQS event source mapping whose maximum concurrency bounds the AssumeRoot sessions in flight;
 * Config compliance-change events go to the same queue. A message that keeps failing is retried, then moved to a
 * dead-letter queue, and an alarm on that queue notifies the alert topic. Idempotency records (DynamoDB) keep an
 * account from being handled, or e-mailed about, twice in one cycle. The environment is src/remediator/contract.ts.
 *
 * Why SQS and not Step Functions Distributed Map: the work is one small independent job per account, retried on its
 * own; SQS gives exactly that (per-message retries, a dead-letter queue, partial batch failures, a concurrency cap
 * on the consumer) for a few cents per 10,000 accounts, accepts the Config events on the same path, and needs no
 * item file in S3 nor state-transition pricing (docs/remediator.md has the comparison and the cost per cycle).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    complianceChangeEventPattern,
    EVENT_SOURCE_MAX_CONCURRENCY,
    organizationComplianceChangeEventPattern,
} from "../../src/core/aws-facts";
import { GuardrailMode, RECONCILE_INPUT_TEMPLATE, RemediationAction, REMEDIATOR_ENV } from "../../src/remediator/contract";
import { DEFAULTS } from "../../src/remediator/settings";
import { REMEDIATOR_HANDLER, remediatorArchive } from "../remediator-bundle";
import { physicalName } from "../../src/core/naming";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy, Statement } from "./policy-document";
import { remediatorStatements } from "./remediator-permissions";

/** The newest Node.js runtime @pulumi/aws 7.48 offers (types/enums/lambda). */
export const REMEDIATOR_RUNTIME = aws.lambda.Runtime.NodeJS24dX;

export { EVENT_SOURCE_MAX_CONCURRENCY };
/** Lambda's guidance: the source queue's visibility timeout at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface RemediatorArgs {
    /** Prefix of the physical names: the function is <namePrefix>-remediator, its queues and table follow. */
    namePrefix: string;
    /** The stack's region: the role name carries it (IAM role names are unique per account, not per region). */
    region: string;
    /**
     * account: the remediator inventories this account and notifies (no API lets it delete a root key here).
     * organization: it reconciles the organization aggregator's findings and acts through AssumeRoot.
     */
    mode: GuardrailMode;
    /** The AWS partition (aws, aws-cn, aws-us-gov). Default: the AWS provider's partition. */
    partition?: pulumi.Input<string>;
    /** The alert topic notifications go to. */
    topicArn: pulumi.Input<string>;
    /** The topic's KMS key as a key ARN (resolve aliases and key ids first); the function is granted kms:GenerateDataKey on it. */
    topicKeyArn?: pulumi.Input<string>;
    /**
     * The root access key rule name(s): the only rules the remediator acts on. An organization rule's name is the
     * one given to Config; the remediator finds its generated member-account name at run time.
     */
    ruleNames: pulumi.Input<pulumi.Input<string>[]>;
    /** Organization mode (required there): the AWS Config aggregator the reconcile reads non-compliant accounts from. */
    aggregatorName?: pulumi.Input<string>;
    /** Organization mode: the aggregator's ARN, for the function's read permission. */
    aggregatorArn?: pulumi.Input<string>;
    /** What the remediator does with the root access keys it finds. Default: notify. */
    remediation?: RemediationAction;
    /** delete-unused: delete keys not used for this many days (CIS 1.12: 45). Default: 45. */
    unusedDays?: number;
    /** Report what would be done and change nothing. Default: false. */
    dryRun?: boolean;
    /** Accounts handled at once: the work queue's event source maximum concurrency (2–1000). Default: 5. */
    concurrency?: number;
    /** Work-queue messages per invocation, handled one after another. Default: 5. */
    batchSize?: number;
    /** Deliveries of one account's message before it goes to the dead-letter queue. Default: 3. */
    maxReceiveCount?: number;
    /** EventBridge schedule expression of the reconcile run. Default: rate(1 day). */
    reconcileSchedule?: string;
    /** Reserved concurrent executions; 0 leaves the function unreserved (accounts whose quota is 10 cannot reserve any). Default: 0. */
    reservedConcurrency?: number;
    /** Function timeout in seconds (60–900); the work queue's visibility timeout is six times this. Default: 300. */
    timeoutSeconds?: number;
    /** Function memory in MB (128–10240). Default: 256. */
    memoryMb?: number;
    /** Retention of the function's log group, in days (a CloudWatch Logs retention value). Default: 90. */
    logRetentionDays?: number;
    /** The deployment package. Default: src/remediator/handler.ts bundled with esbuild when the component is constructed. */
    code?: pulumi.asset.Archive;
}

/**
 * The remediator Lambda and what drives it: the reconcile schedule, the work queue with its dead-letter queue and
 * alarm, the compliance-change rule, the idempotency table, and a least-privilege role.
 */
export class Remediator extends pulumi.ComponentResource {
    /** The function's name. */
    readonly functionName: pulumi.Output<string>;
    /** The function's ARN. */
    readonly functionArn: pulumi.Output<string>;
    /** ARN of the function's role. */
    readonly roleArn: pulumi.Output<string>;
    /** URL of the work queue: one message per account to look at. */
    readonly workQueueUrl: pulumi.Output<string>;
    /** URL of the dead-letter queue of every remediator path (work queue, EventBridge targets, asynchronous invocations). */
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** Name of the dead-letter queue. */
    readonly deadLetterQueueName: pulumi.Output<string>;
    /** Name of the DynamoDB table of idempotency records. */
    readonly idempotencyTableName: pulumi.Output<string>;

    constructor(name: string, args: RemediatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:Remediator", name, {}, opts);
        const parent = { parent: this };
        const partition = args.partition ?? aws.getPartitionOutput({}, parent).partition;
        const ruleNames = pulumi.output(args.ruleNames);
        const functionName = `${args.namePrefix}-remediator`;
        const remediation = args.remediation ?? DEFAULTS.action;
        const dryRun = args.dryRun ?? false;
        const timeout = args.timeoutSeconds ?? 300;
        const concurrency = args.concurrency ?? DEFAULTS.concurrency;
        const maxReceiveCount = args.maxReceiveCount ?? DEFAULTS.maxReceiveCount;
        if (args.mode === "organization" && args.aggregatorName === undefined) {
            throw new Error("rootguard: the organization remediator needs aggregatorName");
        }
        const { min, max } = EVENT_SOURCE_MAX_CONCURRENCY;
        if (!Number.isInteger(concurrency) || concurrency < min || concurrency > max) {
            throw new Error(
                `rootguard: remediator concurrency must be ${min}–${max} (SQS event source maximum concurrency), got ${concurrency}`,
            );
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays ?? 90 },
            parent,
        );

        // Dead letters of every path: the work queue's redrive, EventBridge targets that cannot deliver, and failed
        // asynchronous invocations of the function. 14 days, SQS's longest retention.
        const deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: `${functionName}-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 },
            parent,
        );
        const workQueue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: `${functionName}-work`,
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * timeout,
                messageRetentionSeconds: 4 * 24 * 3600,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount }),
            },
            parent,
        );
        const idempotencyTable = new aws.dynamodb.Table(
            `${name}-idempotency`,
            {
                name: `${functionName}-idempotency`,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "id",
                attributes: [{ name: "id", type: "S" }],
                // Powertools writes the record's expiry here; DynamoDB deletes expired records at no cost.
                ttl: { attributeName: "expiration", enabled: true },
            },
            parent,
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: physicalName(args.namePrefix, "remediator", "beyond-region", args.region),
                description: "rootguard remediator (least privilege)",
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: policyDocument(
                    remediatorStatements({
                        mode: args.mode,
                        remediation,
                        dryRun,
                        partition: partition,
                        topicArn: args.topicArn,
                        topicKeyArn: args.topicKeyArn,
                        aggregatorArn: args.aggregatorArn,
                        logGroupArn: logGroup.arn,
                        deadLetterQueueArn: deadLetterQueue.arn,
                        workQueueArn: workQueue.arn,
                        idempotencyTableArn: idempotencyTable.arn,
                    }),
                ),
            },
            parent,
        );

        const variables: Record<string, pulumi.Input<string>> = {
            [REMEDIATOR_ENV.mode]: args.mode,
            [REMEDIATOR_ENV.action]: remediation,
            [REMEDIATOR_ENV.unusedDays]: String(args.unusedDays ?? DEFAULTS.unusedDays),
            [REMEDIATOR_ENV.dryRun]: String(dryRun),
            [REMEDIATOR_ENV.topicArn]: args.topicArn,
            [REMEDIATOR_ENV.ruleNames]: ruleNames.apply((names) => names.join(",")),
            [REMEDIATOR_ENV.queueUrl]: workQueue.url,
            [REMEDIATOR_ENV.idempotencyTable]: idempotencyTable.name,
            [REMEDIATOR_ENV.maxReceiveCount]: String(maxReceiveCount),
        };
        if (args.aggregatorName !== undefined) variables[REMEDIATOR_ENV.aggregatorName] = args.aggregatorName;

        const fn = new aws.lambda.Function(
            name,
            {
                name: functionName,
                description: "rootguard: inventories root access keys, notifies, deletes through AssumeRoot when configured",
                runtime: REMEDIATOR_RUNTIME,
                architectures: ["arm64"],
                handler: REMEDIATOR_HANDLER,
                code: args.code ?? remediatorArchive(),
                role: role.arn,
                timeout,
                memorySize: args.memoryMb ?? 256,
                reservedConcurrentExecutions: args.reservedConcurrency ? args.reservedConcurrency : undefined,
                deadLetterConfig: { targetArn: deadLetterQueue.arn },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: { variables },
            },
            // The role's policy must exist before the first invocation, and the log group before the first line.
            { parent: this, dependsOn: [rolePolicy, logGroup] },
        );
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.roleArn = role.arn;
        this.workQueueUrl = workQueue.url;
        this.deadLetterQueueUrl = deadLetterQueue.url;
        this.deadLetterQueueName = deadLetterQueue.name;
        this.idempotencyTableName = idempotencyTable.name;

        // Asynchronous invocations (the schedule) retry twice, then land in the dead-letter queue.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            { functionName: fn.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600 },
            parent,
        );
        new aws.lambda.EventSourceMapping(
            `${name}-work`,
            {
                eventSourceArn: workQueue.arn,
                functionName: fn.arn,
                batchSize: args.batchSize ?? 5,
                scalingConfig: { maximumConcurrency: concurrency },
                functionResponseTypes: ["ReportBatchItemFailures"],
            },
            { parent: this, dependsOn: [rolePolicy] },
        );

        const pattern = ruleNames.apply((names) =>
            JSON.stringify(
                args.mode === "organization" ? organizationComplianceChangeEventPattern(names) : complianceChangeEventPattern(names),
            ),
        );
        const complianceRule = new aws.cloudwatch.EventRule(
            `${name}-compliance`,
            {
                name: `${args.namePrefix}-compliance-change`,
                description: "Root access key rule compliance changes → remediator work queue (rootguard)",
                eventPattern: pattern,
            },
            parent,
        );
        const scheduleRule = new aws.cloudwatch.EventRule(
            `${name}-reconcile`,
            {
                name: `${args.namePrefix}-reconcile`,
                description: "Scheduled reconcile of root credentials (rootguard)",
                scheduleExpression: args.reconcileSchedule ?? "rate(1 day)",
            },
            parent,
        );

        const eventBridgeSends = (sid: string, arn: pulumi.Input<string>, rules: aws.cloudwatch.EventRule[]): Statement => ({
            Sid: sid,
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: arn,
            Condition: { ArnEquals: { "aws:SourceArn": rules.map((r) => r.arn) } },
        });
        new aws.sqs.QueuePolicy(
            `${name}-queue-policy`,
            {
                queueUrl: workQueue.url,
                policy: policyDocument([
                    denyInsecureTransport("sqs", workQueue.arn),
                    eventBridgeSends("ComplianceChangesFromEventBridge", workQueue.arn, [complianceRule]),
                ]),
            },
            parent,
        );
        new aws.sqs.QueuePolicy(
            `${name}-dlq-policy`,
            {
                queueUrl: deadLetterQueue.url,
                policy: policyDocument([
                    denyInsecureTransport("sqs", deadLetterQueue.arn),
                    eventBridgeSends("UndeliverableEventsFromEventBridge", deadLetterQueue.arn, [complianceRule, scheduleRule]),
                ]),
            },
            parent,
        );

        const targetRetry = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 };
        new aws.cloudwatch.EventTarget(
            `${name}-compliance-target`,
            {
                rule: complianceRule.name,
                arn: workQueue.arn,
                retryPolicy: targetRetry,
                deadLetterConfig: { arn: deadLetterQueue.arn },
            },
            parent,
        );
        new aws.lambda.Permission(
            `${name}-reconcile-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "events.amazonaws.com",
                sourceArn: scheduleRule.arn,
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-reconcile-target`,
            {
                rule: scheduleRule.name,
                arn: fn.arn,
                // The scheduled time names the cycle: a redelivered tick is the same cycle, not a second one.
                inputTransformer: { inputPaths: { time: "$.time" }, inputTemplate: RECONCILE_INPUT_TEMPLATE },
                retryPolicy: targetRetry,
                deadLetterConfig: { arn: deadLetterQueue.arn },
            },
            parent,
        );

        new aws.cloudwatch.MetricAlarm(
            `${name}-dlq-alarm`,
            {
                name: `${functionName}-dead-letters`,
                alarmDescription: pulumi.interpolate`rootguard: messages in ${deadLetterQueue.name}. Accounts or events the remediator could not handle after ${maxReceiveCount} attempts (each was e-mailed with its cause), or schedule/compliance deliveries that failed. Fix the cause, then redrive the queue (SQS console → Start DLQ redrive).`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: deadLetterQueue.name },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.topicArn],
                okActions: [args.topicArn],
            },
            parent,
        );
        this.registerOutputs({
            functionName: this.functionName,
            functionArn: this.functionArn,
            roleArn: this.roleArn,
            workQueueUrl: this.workQueueUrl,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            deadLetterQueueName: this.deadLetterQueueName,
            idempotencyTableName: this.idempotencyTableName,
        });
    }
}
