/**
 * Root activity → one e-mail per event, from every watched region of this account and (organization mode) of
 * every member account:
 *
 *   default bus, each region, each account ──forwarder rule──▶ central bus (stack region) ──▶ rules ──▶ topic
 *
 * CloudTrail delivers to the default bus of the region where it records the event, so every watched region needs
 * a forwarder; sign-ins and IAM calls arrive in the partition's global-events region. Forwarded events cannot be
 * forwarded again (EventBridge User Guide, "event buses in the same account and Region"), so the central bus's
 * rules target the topic directly, with an input transformer that writes the alert as one readable line.
 * Every target has a dead-letter queue and every queue and rule an alarm (see `failure-alarms.ts`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ALL_MANAGEMENT_EVENTS_STATE,
    alarmAlert,
    alarmStateChangePattern,
    EventPattern,
    InputTransformer,
    rootApiCallAlert,
    rootApiCallPattern,
    rootSignInAlert,
    rootSignInPattern,
} from "../../src/core/root-activity";
import { physicalName } from "../../src/core/naming";
import { activityNames } from "./activity-names";
import { failedInvocationsAlarm } from "./failure-alarms";
import { OrganizationForwarders } from "./organization-forwarders";
import { policyDocument, serviceTrustPolicy } from "./policy-document";
import { RegionalForwarder } from "./regional-forwarder";

export interface RootActivityAlertsArgs {
    namePrefix: string;
    topicArn: pulumi.Input<string>;
    /** The stack region: the central bus and its rules live here. */
    region: string;
    /** Every region to watch (see `activityRegions` in src/core/regions.ts); must include `region`. */
    regions: string[];
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Organization mode: the bus admits this organization, and a StackSet installs forwarders in member accounts. */
    organization?: {
        id: pulumi.Input<string>;
        /** Root or OU ids the StackSet deploys to. */
        targets: pulumi.Input<string[]>;
        /** The management account id: the StackSet deploys from it only (see OrganizationForwarders). */
        managementAccountId?: pulumi.Input<string | undefined>;
    };
}

interface CentralRule {
    key: string;
    name: string;
    description: string;
    pattern: EventPattern;
    alert: InputTransformer;
    /** Only CloudTrail events need the state; it is harmless elsewhere but reads as intent. */
    cloudTrail: boolean;
}

export class RootActivityAlerts extends pulumi.ComponentResource {
    readonly bus: aws.cloudwatch.EventBus;
    readonly busPolicy?: aws.cloudwatch.EventBusPolicy;
    readonly rules: aws.cloudwatch.EventRule[] = [];
    readonly forwarders: RegionalForwarder[] = [];
    readonly organizationForwarders?: OrganizationForwarders;
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
    /** The rule that alerts on root API calls (kept for the stack output `rootActivityRuleArn`). */
    readonly rule: aws.cloudwatch.EventRule;

    constructor(name: string, args: RootActivityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootActivityAlerts", name, {}, opts);
        if (!args.regions.includes(args.region))
            throw new Error(`rootguard: the watched regions must include the stack region ${args.region}`);
        const names = activityNames(args.namePrefix);
        const parent = { parent: this };

        this.bus = new aws.cloudwatch.EventBus(
            `${name}-bus`,
            { name: names.bus, description: "rootguard: root user activity from every watched region and account" },
            parent,
        );
        if (args.organization) {
            // Accounts of this organization only; a cross-account target granted through the organization
            // must carry a role (RoleArn), which the member template and the forwarders here do.
            this.busPolicy = new aws.cloudwatch.EventBusPolicy(
                `${name}-bus-policy`,
                {
                    eventBusName: this.bus.name,
                    policy: policyDocument([
                        {
                            Sid: "AccountsOfTheOrganizationPutEvents",
                            Effect: "Allow",
                            Principal: "*",
                            Action: ["events:PutEvents"],
                            Resource: this.bus.arn,
                            Condition: { StringEquals: { "aws:PrincipalOrgID": args.organization.id } },
                        },
                    ]),
                },
                parent,
            );
        }

        const role = new aws.iam.Role(
            `${name}-forwarder-role`,
            {
                name: physicalName(args.namePrefix, "root-activity-forwarder", "beyond-region", args.region),
                description: "EventBridge forwards root activity and rootguard alarms to the central bus (rootguard)",
                assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", args.accountId),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-forwarder-policy`,
            {
                role: role.id,
                policy: policyDocument([{ Sid: "CentralBusOnly", Effect: "Allow", Action: ["events:PutEvents"], Resource: this.bus.arn }]),
            },
            parent,
        );

        for (const region of args.regions) {
            this.forwarders.push(
                new RegionalForwarder(
                    `${name}-${region}`,
                    {
                        namePrefix: args.namePrefix,
                        region,
                        stackRegion: args.region,
                        partition: args.partition,
                        accountId: args.accountId,
                        centralBusArn: this.bus.arn,
                        roleArn: role.arn,
                        topicArn: args.topicArn,
                        deadLetterSourceAccounts: args.organization ? "any" : "self",
                    },
                    { parent: this, dependsOn: [rolePolicy] },
                ),
            );
        }
        const homeQueue = this.forwarders.find((_, i) => args.regions[i] === args.region)!.deadLetterQueue;

        const central: CentralRule[] = [
            {
                key: "sign-in",
                name: names.signInRule,
                description: "Root user console sign-ins and sign-in events (password, MFA) → alert topic (rootguard)",
                pattern: rootSignInPattern(),
                alert: rootSignInAlert(),
                cloudTrail: true,
            },
            {
                key: "api-call",
                name: names.apiCallRule,
                description: "Root user API calls (read-only included) and console actions → alert topic (rootguard)",
                pattern: rootApiCallPattern("succeeded"),
                alert: rootApiCallAlert("succeeded"),
                cloudTrail: true,
            },
            {
                key: "api-call-refused",
                name: names.failedApiCallRule,
                description: "Root user API calls AWS refused (an error code) → alert topic (rootguard)",
                pattern: rootApiCallPattern("failed"),
                alert: rootApiCallAlert("failed"),
                cloudTrail: true,
            },
            {
                key: "alarm",
                name: names.alarmRule,
                description: "rootguard alarms relayed from other regions → alert topic",
                pattern: alarmStateChangePattern(args.namePrefix),
                alert: alarmAlert(),
                cloudTrail: false,
            },
        ];
        for (const c of central) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${c.key}`,
                {
                    name: c.name,
                    description: c.description,
                    eventBusName: this.bus.name,
                    state: c.cloudTrail ? ALL_MANAGEMENT_EVENTS_STATE : "ENABLED",
                    eventPattern: JSON.stringify(c.pattern),
                },
                parent,
            );
            this.rules.push(rule);
            new aws.cloudwatch.EventTarget(
                `${name}-${c.key}-to-topic`,
                {
                    rule: rule.name,
                    eventBusName: this.bus.name,
                    targetId: "alert-topic",
                    arn: args.topicArn,
                    inputTransformer: c.alert,
                    deadLetterConfig: { arn: homeQueue.arn },
                    retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
                },
                parent,
            );
            this.alarms.push(
                failedInvocationsAlarm(
                    `${name}-${c.key}-failed`,
                    {
                        alarmName: `${c.name}-failed`,
                        description:
                            `Rule ${c.name} on bus ${names.bus} could not publish to the alert topic: alerts are in SQS queue ` +
                            `${names.deadLetterQueue} (${args.region}). Check the topic policy and its KMS key policy (events.amazonaws.com).`,
                        ruleName: rule.name,
                        eventBusName: this.bus.name,
                        topicArn: args.topicArn,
                    },
                    parent,
                ),
            );
        }
        this.rule = this.rules[1];

        if (args.organization) {
            this.organizationForwarders = new OrganizationForwarders(
                `${name}-organization`,
                {
                    namePrefix: args.namePrefix,
                    regions: args.regions,
                    targets: args.organization.targets,
                    centralBusArn: this.bus.arn,
                    centralAccountId: args.accountId,
                    managementAccountId: args.organization.managementAccountId,
                },
                // Member forwarders need the bus policy and this account's dead-letter queues in place.
                { parent: this, dependsOn: [this.busPolicy!, ...this.forwarders] },
            );
        }
        for (const f of this.forwarders) this.alarms.push(...f.alarms);
        this.registerOutputs({ busArn: this.bus.arn });
    }
}
