/**
 * The whole guardrail for one account or one organization, composed from the smaller components. This is what
 * `stacks/index.ts` deploys; another program can deploy it too, or pick the parts it wants.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { configRuleConsoleUrl } from "../../src/core/aws-facts";
import type { RootguardConfig } from "../config";
import { AlertTopic } from "./alert-topic";
import { ConfigRecorder } from "./config-recorder";
import { ConfigRemediation } from "./config-remediation";
import { RemediatorAlarms } from "./failure-alarms";
import { OrganizationGuardrails } from "./organization-guardrails";
import { Remediator } from "./remediator";
import { activityRegions } from "../../src/core/regions";
import { ActivityTrail } from "./activity-trail";
import { RootActivityAlerts } from "./root-activity-alerts";
import { RootCredentialRules } from "./root-credential-rules";

/** An invoke result the stack cannot work without: a clear error instead of a policy with a hole in it. */
function requireValue<T>(what: string): (value: T | undefined | null) => T {
    return (value) => {
        if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
            throw new Error(`rootguard: could not read ${what}; organization mode must run in the organization's management account`);
        }
        return value;
    };
}

export interface RootGuardrailsArgs {
    config: RootguardConfig;
    /** Deployment package of the remediator; default: bundle src/remediator/handler.ts now. */
    remediatorCode?: pulumi.asset.Archive;
}

export interface RuleOutput {
    identifier: string;
    name: string;
    arn: string;
    consoleUrl: string;
}

export class RootGuardrails extends pulumi.ComponentResource {
    readonly rules: RootCredentialRules;
    readonly alerts: AlertTopic;
    readonly remediator: Remediator;
    readonly recorder?: ConfigRecorder;
    readonly activity?: RootActivityAlerts;
    readonly trail?: ActivityTrail;
    readonly remediatorAlarms: RemediatorAlarms;
    readonly configRemediation?: ConfigRemediation;
    readonly organization?: OrganizationGuardrails;
    readonly ruleOutputs: pulumi.Output<RuleOutput[]>;

    constructor(name: string, args: RootGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootGuardrails", name, {}, opts);
        const c = args.config;
        const parent = { parent: this };
        for (const notice of c.notices ?? []) pulumi.log.warn(notice, this);
        // Invokes, not config: the account and partition come from the credentials the provider actually uses.
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;

        if (c.createRecorder) {
            this.recorder = new ConfigRecorder(
                `${name}-recorder`,
                { namePrefix: c.namePrefix, region: c.region, accountId, partition, recordAllResources: c.recordAllResources },
                parent,
            );
        }

        this.rules = new RootCredentialRules(
            `${name}-rules`,
            {
                scope: c.mode,
                namePrefix: c.namePrefix,
                region: c.region,
                frequency: c.frequency,
                rootMfaRule: c.rootMfaRule,
                hardwareMfaRule: c.hardwareMfaRule,
                excludedAccounts: c.mode === "organization" ? c.excludedAccounts : undefined,
                recorder: this.recorder?.status,
            },
            parent,
        );

        this.alerts = new AlertTopic(
            `${name}-alerts`,
            {
                topicName: `${c.namePrefix}-alerts`,
                accountId,
                partition,
                emails: c.alertEmails,
                kmsKeyId: c.alertKmsKeyId || undefined,
                region: c.region,
                allowEventBridge: c.rootActivityAlerts,
            },
            parent,
        );
        if (c.alertKmsKeyId === "alias/aws/sns" && c.rootActivityAlerts) {
            pulumi.log.warn(
                "rootguard:alertKmsKeyId is alias/aws/sns: EventBridge cannot publish to such a topic, so root activity alerts will not arrive. Leave it empty to let rootguard create a key.",
                this,
            );
        }

        const needsOrganization = c.mode === "organization" && (c.rootActivityAlerts || c.createTrail);
        const organization = needsOrganization ? aws.organizations.getOrganizationOutput({}, parent) : undefined;
        if (c.rootActivityAlerts) {
            this.activity = new RootActivityAlerts(
                `${name}-root-activity`,
                {
                    namePrefix: c.namePrefix,
                    topicArn: this.alerts.topicArn,
                    region: c.region,
                    regions: activityRegions(c.region, c.activityRegions),
                    accountId,
                    partition,
                    organization: organization && {
                        id: organization.id.apply(requireValue<string>("the organization id (organizations:DescribeOrganization)")),
                        managementAccountId: organization.masterAccountId,
                        targets:
                            c.activityTargets.length > 0
                                ? c.activityTargets
                                : organization.roots.apply((roots) =>
                                      requireValue<string[]>("the organization root (organizations:ListRoots)")(roots?.map((r) => r.id)),
                                  ),
                    },
                },
                parent,
            );
        }
        if (c.createTrail) {
            this.trail = new ActivityTrail(
                `${name}-trail`,
                { namePrefix: c.namePrefix, region: c.region, accountId, partition, organizationId: organization?.id },
                parent,
            );
        }

        if (c.mode === "organization") {
            this.organization = new OrganizationGuardrails(
                `${name}-organization`,
                {
                    namePrefix: c.namePrefix,
                    region: c.region,
                    accountId,
                    partition,
                    aggregatorRegions: [c.region],
                    scpTargets: c.scpTargets,
                    serviceControlPolicies: c.serviceControlPolicies,
                    denyAllRootActions: c.denyAllRootActions,
                    manageOrganizationsFeatures: c.manageOrganizationsFeatures,
                },
                parent,
            );
        }

        this.remediator = new Remediator(
            `${name}-remediator`,
            {
                namePrefix: c.namePrefix,
                region: c.region,
                mode: c.mode,
                partition,
                topicArn: this.alerts.topicArn,
                topicKeyArn: this.alerts.keyArn,
                // The access-key rule only: the MFA rules' findings need no AssumeRoot, and no key is deleted for them.
                ruleNames: [this.rules.accessKeyRule.name],
                aggregatorName: this.organization?.aggregatorName,
                aggregatorArn: this.organization?.aggregatorArn,
                remediation: c.remediation,
                unusedDays: c.unusedDays,
                dryRun: c.dryRun,
                concurrency: c.concurrency,
                reconcileSchedule: c.reconcileSchedule,
                reservedConcurrency: c.reservedConcurrency,
                timeoutSeconds: c.lambdaTimeoutSeconds,
                memoryMb: c.lambdaMemoryMb,
                logRetentionDays: c.logRetentionDays,
                code: args.remediatorCode,
            },
            parent,
        );

        this.remediatorAlarms = new RemediatorAlarms(
            `${name}-remediator-alarms`,
            {
                namePrefix: c.namePrefix,
                topicArn: this.alerts.topicArn,
                functionName: this.remediator.functionName,
                deadLetterQueueName: this.remediator.deadLetterQueue.name,
            },
            parent,
        );

        // Organization rules have generated names in each account: a remediation configuration cannot name them.
        if (c.mode === "account") {
            this.configRemediation = new ConfigRemediation(
                `${name}-config-remediation`,
                {
                    namePrefix: c.namePrefix,
                    region: c.region,
                    accountId,
                    configRuleName: this.rules.accessKeyRule.name,
                    functionName: this.remediator.functionName,
                    functionArn: this.remediator.functionArn,
                    automatic: c.automaticRemediation,
                },
                parent,
            );
        }

        this.ruleOutputs = pulumi.all(
            this.rules.rules.map((r) =>
                pulumi.all([r.name, r.arn]).apply(([ruleName, arn]) => ({
                    identifier: r.identifier,
                    name: ruleName,
                    arn,
                    consoleUrl: configRuleConsoleUrl(c.region, ruleName),
                })),
            ),
        );
        this.registerOutputs({
            rules: this.ruleOutputs,
            alertTopicArn: this.alerts.topicArn,
            remediatorFunctionName: this.remediator.functionName,
        });
    }
}
