/**
 * The remediator Lambda and what drives it: Config compliance-change events (best effort) and a reconcile
 * schedule (the safety net). The function's environment is the contract in src/remediator/contract.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { complianceChangeEventPattern, organizationComplianceChangeEventPattern } from "../../src/core/aws-facts";
import { RECONCILE_SOURCE, ReconcilePayload, RemediationAction, REMEDIATOR_ENV } from "../../src/remediator/contract";
import { DEFAULTS } from "../../src/remediator/settings";
import { REMEDIATOR_HANDLER, remediatorArchive } from "../remediator-bundle";
import { physicalName } from "../../src/core/naming";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy } from "./policy-document";
import { remediatorStatements } from "./remediator-permissions";

/** The newest Node.js runtime @pulumi/aws 7.48 offers (types/enums/lambda). */
export const REMEDIATOR_RUNTIME = aws.lambda.Runtime.NodeJS24dX;

export interface RemediatorArgs {
    namePrefix: string;
    /** The stack's region: the role name carries it (IAM role names are unique per account, not per region). */
    region: string;
    mode: "account" | "organization";
    partition: pulumi.Input<string>;
    topicArn: pulumi.Input<string>;
    topicKeyArn?: pulumi.Input<string>;
    /** Rule names the handler reads compliance from (ROOTGUARD_RULE_NAMES) and the events it reacts to. */
    ruleNames: pulumi.Input<string>[];
    aggregatorName?: pulumi.Input<string>;
    aggregatorArn?: pulumi.Input<string>;
    remediation?: RemediationAction;
    unusedDays?: number;
    dryRun?: boolean;
    concurrency?: number;
    reconcileSchedule?: string;
    /** 0: unreserved. */
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
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly complianceRule: aws.cloudwatch.EventRule;
    readonly scheduleRule: aws.cloudwatch.EventRule;

    constructor(name: string, args: RemediatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:Remediator", name, {}, opts);
        const functionName = `${args.namePrefix}-remediator`;
        const remediation = args.remediation ?? DEFAULTS.action;
        const dryRun = args.dryRun ?? false;
        const timeout = args.timeoutSeconds ?? 300;
        if (args.mode === "organization" && args.aggregatorName === undefined) {
            throw new Error("rootguard: the organization remediator needs aggregatorName");
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays ?? 90 },
            { parent: this },
        );

        this.deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: `${functionName}-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 },
            { parent: this },
        );
        new aws.sqs.QueuePolicy(
            `${name}-dlq-policy`,
            {
                queueUrl: this.deadLetterQueue.url,
                policy: policyDocument([denyInsecureTransport("sqs", this.deadLetterQueue.arn)]),
            },
            { parent: this },
        );

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: physicalName(args.namePrefix, "remediator", "beyond-region", args.region),
                description: "rootguard remediator (least privilege)",
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
            },
            { parent: this },
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
                    }),
                ),
            },
            { parent: this },
        );

        const variables: Record<string, pulumi.Input<string>> = {
            [REMEDIATOR_ENV.mode]: args.mode,
            [REMEDIATOR_ENV.action]: remediation,
            [REMEDIATOR_ENV.unusedDays]: String(args.unusedDays ?? DEFAULTS.unusedDays),
            [REMEDIATOR_ENV.dryRun]: String(dryRun),
            [REMEDIATOR_ENV.topicArn]: args.topicArn,
            [REMEDIATOR_ENV.ruleNames]: pulumi.all(args.ruleNames).apply((names) => names.join(",")),
            [REMEDIATOR_ENV.concurrency]: String(args.concurrency ?? DEFAULTS.concurrency),
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

        // Async invocations (EventBridge) retry twice, then land in the dead-letter queue.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            { functionName: this.function.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600 },
            { parent: this },
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
                description: "Root-credential rule compliance changes → remediator (rootguard)",
                eventPattern: pattern,
            },
            { parent: this },
        );
        const reconcile: ReconcilePayload = { source: RECONCILE_SOURCE };
        this.scheduleRule = new aws.cloudwatch.EventRule(
            `${name}-reconcile`,
            {
                name: `${args.namePrefix}-reconcile`,
                description: "Scheduled reconcile of root credentials (rootguard)",
                scheduleExpression: args.reconcileSchedule ?? "rate(1 day)",
            },
            { parent: this },
        );
        for (const [suffix, rule, input] of [
            ["compliance", this.complianceRule, undefined],
            ["reconcile", this.scheduleRule, JSON.stringify(reconcile)],
        ] as const) {
            new aws.lambda.Permission(
                `${name}-${suffix}-invoke`,
                { action: "lambda:InvokeFunction", function: this.function.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${suffix}-target`,
                {
                    rule: rule.name,
                    arn: this.function.arn,
                    input,
                    retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
                },
                { parent: this },
            );
        }
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}
