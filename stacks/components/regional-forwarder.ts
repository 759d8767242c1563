/**
 * One watched region of the deploying account: the default-bus rule that forwards root activity to the central
 * bus, the region's dead-letter queue (for this account's rules and, in organization mode, for every member
 * account's forwarder in the region), and the alarms on both. Outside the stack region the alarms cannot notify
 * the topic directly (alarm actions are same-region), so an alarm relay rule forwards their state changes to the
 * central bus, whose alarm rule e-mails them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALL_MANAGEMENT_EVENTS_STATE, alarmStateChangePattern, rootActivityPattern } from "../../src/core/root-activity";
import { activityNames, FORWARD_RETRY_POLICY } from "./activity-names";
import { EventDeadLetterQueue, failedInvocationsAlarm, queueDepthAlarm } from "./failure-alarms";

export interface RegionalForwarderArgs {
    namePrefix: string;
    region: string;
    /** The stack region: alarms there notify the topic directly and no relay is needed. */
    stackRegion: string;
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    centralBusArn: pulumi.Input<string>;
    /** Role EventBridge uses to put events on the central bus. */
    roleArn: pulumi.Input<string>;
    topicArn: pulumi.Input<string>;
    /** Accounts whose rules may use this region's dead-letter queue: this one, or `*` (any account, organization mode). */
    deadLetterSourceAccounts: "self" | "any";
}

export class RegionalForwarder extends pulumi.ComponentResource {
    readonly rule: aws.cloudwatch.EventRule;
    readonly relayRule?: aws.cloudwatch.EventRule;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: RegionalForwarderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RegionalForwarder", name, {}, opts);
        const names = activityNames(args.namePrefix);
        const region = args.region;
        const parent = { parent: this };
        const home = region === args.stackRegion;
        const sourceAccount = args.deadLetterSourceAccounts === "any" ? "*" : args.accountId;

        this.deadLetterQueue = new EventDeadLetterQueue(
            `${name}-dlq`,
            {
                queueName: names.deadLetterQueue,
                region,
                // Rules named <prefix>-… on any bus of this region: forwarders, the relay, and (stack region) the central rules.
                ruleArnPatterns: [pulumi.interpolate`arn:${args.partition}:events:${region}:${sourceAccount}:rule/${args.namePrefix}-*`],
            },
            parent,
        ).queue;

        const forward = (rule: aws.cloudwatch.EventRule, suffix: string) =>
            new aws.cloudwatch.EventTarget(
                `${name}-${suffix}-target`,
                {
                    region,
                    rule: rule.name,
                    targetId: "central-bus",
                    arn: args.centralBusArn,
                    roleArn: args.roleArn,
                    deadLetterConfig: { arn: this.deadLetterQueue.arn },
                    retryPolicy: FORWARD_RETRY_POLICY,
                },
                parent,
            );

        this.rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                region,
                name: names.forwarderRule,
                description: "Root user API calls (read-only included), console actions and sign-ins → central bus (rootguard)",
                state: ALL_MANAGEMENT_EVENTS_STATE,
                eventPattern: JSON.stringify(rootActivityPattern()),
            },
            parent,
        );
        forward(this.rule, "forwarder");

        if (!home) {
            this.relayRule = new aws.cloudwatch.EventRule(
                `${name}-relay`,
                {
                    region,
                    name: names.alarmRelayRule,
                    description: `rootguard alarms in ${region} → central bus, which e-mails them (alarm actions cannot cross regions)`,
                    eventPattern: JSON.stringify(alarmStateChangePattern(args.namePrefix)),
                },
                parent,
            );
            forward(this.relayRule, "relay");
        }

        const notify = { region, topicArn: home ? args.topicArn : undefined };
        this.alarms.push(
            queueDepthAlarm(
                `${name}-dlq-depth`,
                {
                    ...notify,
                    alarmName: `${args.namePrefix}-root-activity-dlq-${region}`,
                    description:
                        `Root activity events could not be delivered in ${region} and wait in SQS queue ${names.deadLetterQueue}. ` +
                        "Message attributes ERROR_CODE and RULE_ARN say why and from which account; fix the cause, then read the events.",
                    queueName: this.deadLetterQueue.name,
                },
                parent,
            ),
            failedInvocationsAlarm(
                `${name}-failed`,
                {
                    ...notify,
                    alarmName: `${args.namePrefix}-root-activity-forwarder-failed-${region}`,
                    description: `Rule ${names.forwarderRule} in ${region} failed to put root activity on the central bus ${names.bus}. Check the role and the bus policy.`,
                    ruleName: this.rule.name,
                },
                parent,
            ),
        );
        this.registerOutputs({ ruleArn: this.rule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
    }
}
