/**
 * Root activity → alert topic. CloudTrail delivers root API calls and console sign-ins to EventBridge;
 * console sign-ins and calls to global services such as IAM are delivered in us-east-1 only, and read-only
 * calls are never delivered. When the stack lives elsewhere, a rule in us-east-1 forwards matching events to
 * this region's default bus (SNS is not a cross-region target; an event bus is), where the main rule sees
 * them like local events.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROOT_ACTIVITY_EVENT_PATTERN, ROOT_SIGN_IN_REGION } from "../../src/core/aws-facts";
import { physicalName } from "../../src/core/naming";
import { policyDocument, serviceTrustPolicy } from "./policy-document";

export interface RootActivityAlertsArgs {
    namePrefix: string;
    topicArn: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Forward us-east-1's root events here when `region` is not us-east-1. Default true. */
    forwardUsEast1Events?: boolean;
}

export class RootActivityAlerts extends pulumi.ComponentResource {
    readonly rule: aws.cloudwatch.EventRule;
    readonly forwarder?: aws.cloudwatch.EventRule;

    constructor(name: string, args: RootActivityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootActivityAlerts", name, {}, opts);
        const pattern = JSON.stringify(ROOT_ACTIVITY_EVENT_PATTERN);

        this.rule = new aws.cloudwatch.EventRule(
            name,
            {
                name: `${args.namePrefix}-root-activity`,
                description: "Root user API calls and console sign-ins (rootguard)",
                eventPattern: pattern,
            },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(
            `${name}-to-topic`,
            { rule: this.rule.name, arn: args.topicArn, retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 } },
            { parent: this },
        );

        if ((args.forwardUsEast1Events ?? true) && args.region !== ROOT_SIGN_IN_REGION) {
            const targetBus = pulumi.interpolate`arn:${args.partition}:events:${args.region}:${args.accountId}:event-bus/default`;
            const role = new aws.iam.Role(
                `${name}-forwarder-role`,
                {
                    name: physicalName(args.namePrefix, "root-activity-forwarder", "beyond-region", args.region),
                    description: `Forwards root activity events from ${ROOT_SIGN_IN_REGION} to ${args.region} (rootguard)`,
                    assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", args.accountId),
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-forwarder-policy`,
                {
                    role: role.id,
                    policy: policyDocument([
                        { Sid: "PutToTheStackRegionDefaultBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: targetBus },
                    ]),
                },
                { parent: this },
            );
            // Resource-level `region` (AWS provider v7): no second provider to configure or to leak credentials through.
            this.forwarder = new aws.cloudwatch.EventRule(
                `${name}-forwarder`,
                {
                    region: ROOT_SIGN_IN_REGION,
                    name: `${args.namePrefix}-root-activity-forwarder`,
                    description: `Forwards root sign-ins and IAM calls from ${ROOT_SIGN_IN_REGION} to ${args.region} (rootguard)`,
                    eventPattern: pattern,
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-forwarder-target`,
                { region: ROOT_SIGN_IN_REGION, rule: this.forwarder.name, arn: targetBus, roleArn: role.arn },
                { parent: this },
            );
        }
        this.registerOutputs({ ruleArn: this.rule.arn });
    }
}
