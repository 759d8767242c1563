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
import { activityRegions } from "../../src/core/regions";
import { activityNames } from "./activity-names";
import { failedInvocationsAlarm } from "./failure-alarms";
import { OrganizationForwarders } from "./organization-forwarders";
import { policyDocument, serviceTrustPolicy } from "./policy-document";
import { RegionalForwarder } from "./regional-forwarder";

/** The organization whose member accounts' root activity is alerted on. */
export interface RootActivityOrganization {
    /** The organization's id (o-…): the central event bus admits its accounts (aws:PrincipalOrgID). */
    id: pulumi.Input<string>;
    /** Root (r-…) or OU (ou-…) ids the member forwarders' StackSet deploys to; new accounts there get them automatically. */
    targets: pulumi.Input<pulumi.Input<string>[]>;
    /** The management account's id: the StackSet deploys from it only (see OrganizationForwarders). */
    managementAccountId?: pulumi.Input<string | undefined>;
}

export interface RootActivityAlertsArgs {
    /** Prefix of every physical name: the event bus, rules, queues, alarms, role and StackSet. */
    namePrefix: string;
    /** The alert topic the alerts are published to; its policy and KMS key must admit EventBridge (AlertTopic's do). */
    topicArn: pulumi.Input<string>;
    /** The stack region: the central event bus and its rules live here. */
    region: string;
    /**
     * Regions watched for root activity; the partition's global-events region (us-east-1, cn-north-1,
     * us-gov-west-1) and region are always added. Default: every region enabled by default in the partition.
     */
    regions?: string[];
    /** The deploying account's id. Default: the caller's account (sts:GetCallerIdentity). */
    accountId?: pulumi.Input<string>;
    /** The AWS partition (aws, aws-cn, aws-us-gov). Default: the AWS provider's partition. */
    partition?: pulumi.Input<string>;
    /**
     * Organization mode: the central bus admits the organization's accounts and a service-managed StackSet installs
     * the forwarders in its member accounts. Omit it to watch this account only.
     */
    organization?: RootActivityOrganization;
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

/**
 * Alerts on root sign-ins, root API calls and root credential changes, from every watched region of this account
 * and, in organization mode, of every member account (CloudTrail must log management events: see createTrail).
 */
export class RootActivityAlerts extends pulumi.ComponentResource {
    /** ARN of the central event bus every watched region and account forwards root activity to. */
    readonly busArn: pulumi.Output<string>;
    /** ARN of the rule that alerts on root API calls and console actions. */
    readonly apiCallRuleArn: pulumi.Output<string>;
    /** ARNs of the central bus's rules: sign-ins, API calls, refused API calls, relayed alarms. */
    readonly ruleArns: pulumi.Output<string[]>;
    /** The regions watched for root activity. */
    readonly watchedRegions: pulumi.Output<string[]>;
    /** Organization mode: the StackSet that installs the forwarders in member accounts. */
    readonly stackSetName?: pulumi.Output<string>;

    constructor(name: string, args: RootActivityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootActivityAlerts", name, {}, opts);
        const regions = activityRegions(args.region, args.regions ?? []);
        const names = activityNames(args.namePrefix);
        const parent = { parent: this };
        const accountId = args.accountId ?? aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = args.partition ?? aws.getPartitionOutput({}, parent).partition;
        const rules: aws.cloudwatch.EventRule[] = [];
        const forwarders: RegionalForwarder[] = [];

        const bus = new aws.cloudwatch.EventBus(
            `${name}-bus`,
            { name: names.bus, description: "rootguard: root user activity from every watched region and account" },
            parent,
        );
        let busPolicy: aws.cloudwatch.EventBusPolicy | undefined;
        if (args.organization) {
            // Accounts of this organization only; a cross-account target granted through the organization
            // must carry a role (RoleArn), which the member template and the forwarders here do.
            busPolicy = new aws.cloudwatch.EventBusPolicy(
                `${name}-bus-policy`,
                {
                    eventBusName: bus.name,
                    policy: policyDocument([
                        {
                            Sid: "AccountsOfTheOrganizationPutEvents",
                            Effect: "Allow",
                            Principal: "*",
                            Action: ["events:PutEvents"],
                            Resource: bus.arn,
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
                assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", accountId),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-forwarder-policy`,
            {
                role: role.id,
                policy: policyDocument([{ Sid: "CentralBusOnly", Effect: "Allow", Action: ["events:PutEvents"], Resource: bus.arn }]),
            },
            parent,
        );

        for (const region of regions) {
            forwarders.push(
                new RegionalForwarder(
                    `${name}-${region}`,
                    {
                        namePrefix: args.namePrefix,
                        region,
                        stackRegion: args.region,
                        partition: partition,
                        accountId: accountId,
                        centralBusArn: bus.arn,
                        roleArn: role.arn,
                        topicArn: args.topicArn,
                        deadLetterSourceAccounts: args.organization ? "any" : "self",
                    },
                    { parent: this, dependsOn: [rolePolicy] },
                ),
            );
        }
        const homeQueue = forwarders.find((_, i) => regions[i] === args.region)!.deadLetterQueue;

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
                    eventBusName: bus.name,
                    state: c.cloudTrail ? ALL_MANAGEMENT_EVENTS_STATE : "ENABLED",
                    eventPattern: JSON.stringify(c.pattern),
                },
                parent,
            );
            rules.push(rule);
            new aws.cloudwatch.EventTarget(
                `${name}-${c.key}-to-topic`,
                {
                    rule: rule.name,
                    eventBusName: bus.name,
                    targetId: "alert-topic",
                    arn: args.topicArn,
                    inputTransformer: c.alert,
                    deadLetterConfig: { arn: homeQueue.arn },
                    retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
                },
                parent,
            );
            failedInvocationsAlarm(
                `${name}-${c.key}-failed`,
                {
                    alarmName: `${c.name}-failed`,
                    description:
                        `Rule ${c.name} on bus ${names.bus} could not publish to the alert topic: alerts are in SQS queue ` +
                        `${names.deadLetterQueue} (${args.region}). Check the topic policy and its KMS key policy (events.amazonaws.com).`,
                    ruleName: rule.name,
                    eventBusName: bus.name,
                    topicArn: args.topicArn,
                },
                parent,
            );
        }
        this.busArn = bus.arn;
        this.apiCallRuleArn = rules[1].arn;
        this.ruleArns = pulumi.all(rules.map((r) => r.arn));
        this.watchedRegions = pulumi.output(regions);

        if (args.organization) {
            const organizationForwarders = new OrganizationForwarders(
                `${name}-organization`,
                {
                    namePrefix: args.namePrefix,
                    regions,
                    targets: pulumi.output(args.organization.targets),
                    centralBusArn: bus.arn,
                    centralAccountId: accountId,
                    managementAccountId: args.organization.managementAccountId,
                },
                // Member forwarders need the bus policy and this account's dead-letter queues in place.
                { parent: this, dependsOn: [busPolicy!, ...forwarders] },
            );
            this.stackSetName = organizationForwarders.stackSet.name;
        }
        this.registerOutputs({
            busArn: this.busArn,
            apiCallRuleArn: this.apiCallRuleArn,
            ruleArns: this.ruleArns,
            watchedRegions: this.watchedRegions,
            stackSetName: this.stackSetName,
        });
    }
}
