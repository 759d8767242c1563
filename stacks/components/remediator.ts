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
import { complianceChangeEventPattern, organizationComplianceChangeEventPattern } from "../../src/core/aws-facts";
import { RECONCILE_INPUT_TEMPLATE, RemediationAction, REMEDIATOR_ENV } from "../../src/remediator/contract";
import { DEFAULTS } from "../../src/remediator/settings";
import { REMEDIATOR_HANDLER, remediatorArchive } from "../remediator-bundle";
import { physicalName } from "../../src/core/naming";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy, Statement } from "./policy-document";
import { remediatorStatements } from "./remediator-permissions";

/** The newest Node.js runtime @pulumi/aws 7.48 offers (types/enums/lambda). */
export const REMEDIATOR_RUNTIME = aws.lambda.Runtime.NodeJS24dX;

/** SQS event source mapping limits on maximum concurrency (Lambda developer guide, "Configuring maximum concurrency"). */
export const EVENT_SOURCE_MAX_CONCURRENCY = { min: 2, max: 1000 };
/** Lambda's guidance: the source queue's visibility timeout at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface RemediatorArgs {
    namePrefix: string;
    /** The stack's region: the role name carries it (IAM role names are unique per account, not per region). */
    region: string;
    mode: "account" | "organization";
    partition: pulumi.Input<string>;
    topicArn: pulumi.Input<string>;
    /** The topic's KMS key as a key ARN (resolve aliases and key IDs first: stacks/components/kms-key.ts). */
    topicKeyArn?: pulumi.Input<string>;
    /**
     * The root access key rule name(s): the only rules the remediator acts on. An organization rule's name is the
     * one given to Config; the remediator finds its generated member-account name at run time.
     */
    ruleNames: pulumi.Input<string>[];
    aggregatorName?: pulumi.Input<string>;
    aggregatorArn?: pulumi.Input<string>;
    remediation?: RemediationAction;
    unusedDays?: number;
    dryRun?: boolean;
    /** Accounts handled at once: the work queue's event source maximum concurrency (2–1000). Default 5. */
    concurrency?: number;
    /** Work-queue messages per invocation, handled one after another. Default 5. */
    batchSize?: number;
    /** Deliveries of one account message before it goes to the dead-letter queue. Default 3. */
    maxReceiveCount?: number;
    reconcileSchedule?: string;
    /** 0 (default): unreserved. Accounts whose concurrency quota is 10 cannot reserve any. */
    reservedConcurrency?: number;
    timeoutSeconds?: number;
    memoryMb?: number;
    logRetentionDays?: number;
    /** The deployment package; default: the bundled src/remediator/handler.ts. */
    code?: pulumi.asset.Archive;
}

export class Remediator extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly functionName: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;
    readonly role: aws.iam.Role;
    readonly workQueue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly idempotencyTable: aws.dynamodb.Table;
    readonly eventSourceMapping: aws.lambda.EventSourceMapping;
    readonly deadLetterAlarm: aws.cloudwatch.MetricAlarm;
    readonly complianceRule: aws.cloudwatch.EventRule;
    readonly scheduleRule: aws.cloudwatch.EventRule;

    constructor(name: string, args: RemediatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:Remediator", name, {}, opts);
        const parent = { parent: this };
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
        this.deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: `${functionName}-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 },
            parent,
        );
        this.workQueue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: `${functionName}-work`,
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * timeout,
                messageRetentionSeconds: 4 * 24 * 3600,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount }),
            },
            parent,
        );
        this.idempotencyTable = new aws.dynamodb.Table(
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

        this.role = new aws.iam.Role(
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
                role: this.role.id,
                policy: policyDocument(
                    remediatorStatements({
                        mode: args.mode,
                        remediation,
                        dryRun,
                        partition: args.partition,
                        topicArn: args.topicArn,
                        topicKeyArn: args.topicKeyArn,
                        aggregatorArn: args.aggregatorArn,
                        logGroupArn: logGroup.arn,
                        deadLetterQueueArn: this.deadLetterQueue.arn,
                        workQueueArn: this.workQueue.arn,
                        idempotencyTableArn: this.idempotencyTable.arn,
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
            [REMEDIATOR_ENV.ruleNames]: pulumi.all(args.ruleNames).apply((names) => names.join(",")),
            [REMEDIATOR_ENV.queueUrl]: this.workQueue.url,
            [REMEDIATOR_ENV.idempotencyTable]: this.idempotencyTable.name,
            [REMEDIATOR_ENV.maxReceiveCount]: String(maxReceiveCount),
        };
        if (args.aggregatorName !== undefined) variables[REMEDIATOR_ENV.aggregatorName] = args.aggregatorName;

        this.function = new aws.lambda.Function(
            name,
            {
                name: functionName,
                description: "rootguard: inventories root access keys, notifies, deletes through AssumeRoot when configured",
                runtime: REMEDIATOR_RUNTIME,
                architectures: ["arm64"],
                handler: REMEDIATOR_HANDLER,
                code: args.code ?? remediatorArchive(),
                role: this.role.arn,
                timeout,
                memorySize: args.memoryMb ?? 256,
                reservedConcurrentExecutions: args.reservedConcurrency ? args.reservedConcurrency : undefined,
                deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: { variables },
            },
            // The role's policy must exist before the first invocation, and the log group before the first line.
            { parent: this, dependsOn: [rolePolicy, logGroup] },
        );
        this.functionName = this.function.name;
        this.functionArn = this.function.arn;

        // Asynchronous invocations (the schedule) retry twice, then land in the dead-letter queue.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            { functionName: this.function.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600 },
            parent,
        );
        this.eventSourceMapping = new aws.lambda.EventSourceMapping(
            `${name}-work`,
            {
                eventSourceArn: this.workQueue.arn,
                functionName: this.function.arn,
                batchSize: args.batchSize ?? 5,
                scalingConfig: { maximumConcurrency: concurrency },
                functionResponseTypes: ["ReportBatchItemFailures"],
            },
            { parent: this, dependsOn: [rolePolicy] },
        );

        const pattern = pulumi
            .all(args.ruleNames)
            .apply((names) =>
                JSON.stringify(
                    args.mode === "organization" ? organizationComplianceChangeEventPattern(names) : complianceChangeEventPattern(names),
                ),
            );
        this.complianceRule = new aws.cloudwatch.EventRule(
            `${name}-compliance`,
            {
                name: `${args.namePrefix}-compliance-change`,
                description: "Root access key rule compliance changes → remediator work queue (rootguard)",
                eventPattern: pattern,
            },
            parent,
        );
        this.scheduleRule = new aws.cloudwatch.EventRule(
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
                queueUrl: this.workQueue.url,
                policy: policyDocument([
                    denyInsecureTransport("sqs", this.workQueue.arn),
                    eventBridgeSends("ComplianceChangesFromEventBridge", this.workQueue.arn, [this.complianceRule]),
                ]),
            },
            parent,
        );
        new aws.sqs.QueuePolicy(
            `${name}-dlq-policy`,
            {
                queueUrl: this.deadLetterQueue.url,
                policy: policyDocument([
                    denyInsecureTransport("sqs", this.deadLetterQueue.arn),
                    eventBridgeSends("UndeliverableEventsFromEventBridge", this.deadLetterQueue.arn, [
                        this.complianceRule,
                        this.scheduleRule,
                    ]),
                ]),
            },
            parent,
        );

        const targetRetry = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 };
        new aws.cloudwatch.EventTarget(
            `${name}-compliance-target`,
            {
                rule: this.complianceRule.name,
                arn: this.workQueue.arn,
                retryPolicy: targetRetry,
                deadLetterConfig: { arn: this.deadLetterQueue.arn },
            },
            parent,
        );
        new aws.lambda.Permission(
            `${name}-reconcile-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: this.function.name,
                principal: "events.amazonaws.com",
                sourceArn: this.scheduleRule.arn,
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-reconcile-target`,
            {
                rule: this.scheduleRule.name,
                arn: this.function.arn,
                // The scheduled time names the cycle: a redelivered tick is the same cycle, not a second one.
                inputTransformer: { inputPaths: { time: "$.time" }, inputTemplate: RECONCILE_INPUT_TEMPLATE },
                retryPolicy: targetRetry,
                deadLetterConfig: { arn: this.deadLetterQueue.arn },
            },
            parent,
        );

        this.deadLetterAlarm = new aws.cloudwatch.MetricAlarm(
            `${name}-dlq-alarm`,
            {
                name: `${functionName}-dead-letters`,
                alarmDescription: pulumi.interpolate`rootguard: messages in ${this.deadLetterQueue.name}. Accounts or events the remediator could not handle after ${maxReceiveCount} attempts (each was e-mailed with its cause), or schedule/compliance deliveries that failed. Fix the cause, then redrive the queue (SQS console → Start DLQ redrive).`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: this.deadLetterQueue.name },
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
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, workQueueUrl: this.workQueue.url });
    }
}
