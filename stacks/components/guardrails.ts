/**
 * The whole guardrail for one account or one organization, composed from the smaller components. This is what
 * `stacks/index.ts` deploys; another program can deploy it too (in TypeScript, or through the component package in
 * any language), or pick the parts it wants.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GuardrailMode } from "../../src/remediator/contract";
import { ConfigError, parseConfigValues, type RootguardConfig } from "../config";
import { AlertTopic } from "./alert-topic";
import { ConfigRecorder } from "./config-recorder";
import { ConfigRemediation } from "./config-remediation";
import { RemediatorAlarms } from "./failure-alarms";
import { OrganizationGuardrails } from "./organization-guardrails";
import { Remediator } from "./remediator";
import { ActivityTrail } from "./activity-trail";
import { RootActivityAlerts } from "./root-activity-alerts";
import { RootCredentialRules, type RuleOutput } from "./root-credential-rules";
import type { StackConfigArgs } from "./stack-config-args";

/** An invoke result the stack cannot work without: a clear error instead of a policy with a hole in it. */
function requireValue<T>(what: string): (value: T | undefined | null) => T {
    return (value) => {
        if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
            throw new Error(`rootguard: could not read ${what}; organization mode must run in the organization's management account`);
        }
        return value;
    };
}

/** The stack's configuration (stacks/stack-config-args.ts, generated from CONFIG_KEYS), and what only a program sets. */
export interface RootGuardrailsArgs extends StackConfigArgs {
    /**
     * The region everything is deployed to: the region of the AWS provider the component's resources use (the
     * root-credential rules are global, one region covers the account). Default: the program's aws:region.
     */
    region?: string;
    /** The remediator's deployment package. Default: src/remediator/handler.ts bundled with esbuild when the component is constructed. */
    remediatorCode?: pulumi.asset.Archive;
}

/**
 * The inputs as the stack's validated configuration: `parseConfigValues`, the stack's own defaults and checks. A
 * bad value is an `InputPropertyError` naming the input, which the engine shows against the property.
 */
export function guardrailConfig(args: RootGuardrailsArgs): RootguardConfig {
    const { region, remediatorCode: _code, ...values } = args;
    try {
        return parseConfigValues(values, region ?? aws.config.region);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        const input = err.key === "aws:region" ? "region" : err.key;
        const reason = err.reason === err.message ? err.message : `${input} ${err.reason}`;
        throw new pulumi.InputPropertyError({ propertyPath: input, reason });
    }
}

/** The root-credential guardrail for one AWS account or one organization: rules, alerts, remediation, SCPs. */
export class RootGuardrails extends pulumi.ComponentResource {
    /** Where the guardrail runs: one account or the whole organization. */
    readonly mode: pulumi.Output<GuardrailMode>;
    /** The region everything is deployed to. */
    readonly region: pulumi.Output<string>;
    /** The AWS Config rules, root access key rule first. */
    readonly rules: pulumi.Output<RuleOutput[]>;
    /** The AWS Config rules' names, root access key rule first. */
    readonly ruleNames: pulumi.Output<string[]>;
    /** The AWS Config rules' ARNs, in the order of ruleNames. */
    readonly ruleArns: pulumi.Output<string[]>;
    /** Each rule's page in the AWS Config console, by rule name. */
    readonly configConsoleUrls: pulumi.Output<Record<string, string>>;
    /** ARN of the encrypted SNS topic every alert goes to. */
    readonly alertTopicArn: pulumi.Output<string>;
    /** Name of the remediator Lambda function. */
    readonly remediatorFunctionName: pulumi.Output<string>;
    /** URL of the remediator's dead-letter queue: what it could not handle after its retries. */
    readonly remediatorDeadLetterQueueUrl: pulumi.Output<string>;
    /** With rootActivityAlerts: ARN of the rule that alerts on root API calls. */
    readonly rootActivityRuleArn?: pulumi.Output<string>;
    /** With rootActivityAlerts: ARN of the central event bus root activity is forwarded to. */
    readonly rootActivityBusArn?: pulumi.Output<string>;
    /** With rootActivityAlerts in organization mode: the StackSet that installs forwarders in member accounts. */
    readonly rootActivityStackSet?: pulumi.Output<string>;
    /** With createTrail: ARN of the CloudTrail trail. */
    readonly trailArn?: pulumi.Output<string>;
    /** Account mode: the SSM Automation document the Config console's Remediate button runs. */
    readonly configRemediationDocument?: pulumi.Output<string>;
    /** Organization mode: name of the organization AWS Config aggregator. */
    readonly aggregatorName?: pulumi.Output<string>;
    /** Organization mode: ids of the service control policies. */
    readonly serviceControlPolicyIds?: pulumi.Output<string[]>;

    constructor(name: string, args: RootGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before anything is registered: a bad input creates nothing.
        const c = guardrailConfig(args);
        super("rootguard:index:RootGuardrails", name, {}, opts);
        const parent = { parent: this };
        for (const notice of c.notices) pulumi.log.warn(notice, this);
        // Invokes, not config: the account and partition come from the credentials the provider actually uses.
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;

        const recorder = c.createRecorder
            ? new ConfigRecorder(
                  `${name}-recorder`,
                  { namePrefix: c.namePrefix, region: c.region, accountId, partition, recordAllResources: c.recordAllResources },
                  parent,
              )
            : undefined;

        const rules = new RootCredentialRules(
            `${name}-rules`,
            {
                scope: c.mode,
                namePrefix: c.namePrefix,
                region: c.region,
                frequency: c.frequency,
                rootMfaRule: c.rootMfaRule,
                hardwareMfaRule: c.hardwareMfaRule,
                excludedAccounts: c.mode === "organization" ? c.excludedAccounts : undefined,
            },
            // The rules wait for the recorder (AWS Config refuses rules without one).
            { parent: this, dependsOn: recorder ? [recorder.status] : [] },
        );

        const alerts = new AlertTopic(
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
            const activity = new RootActivityAlerts(
                `${name}-root-activity`,
                {
                    namePrefix: c.namePrefix,
                    topicArn: alerts.topicArn,
                    region: c.region,
                    regions: c.activityRegions,
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
            this.rootActivityRuleArn = activity.apiCallRuleArn;
            this.rootActivityBusArn = activity.busArn;
            this.rootActivityStackSet = activity.stackSetName;
        }
        if (c.createTrail) {
            const trail = new ActivityTrail(
                `${name}-trail`,
                { namePrefix: c.namePrefix, region: c.region, accountId, partition, organizationId: organization?.id },
                parent,
            );
            this.trailArn = trail.trail.arn;
        }

        const organizationGuardrails =
            c.mode === "organization"
                ? new OrganizationGuardrails(
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
                  )
                : undefined;
        this.aggregatorName = organizationGuardrails?.aggregatorName;
        this.serviceControlPolicyIds = organizationGuardrails?.serviceControlPolicyIds;

        const remediator = new Remediator(
            `${name}-remediator`,
            {
                namePrefix: c.namePrefix,
                region: c.region,
                mode: c.mode,
                partition,
                topicArn: alerts.topicArn,
                topicKeyArn: alerts.keyArn,
                // The access-key rule only: the MFA rules' findings need no AssumeRoot, and no key is deleted for them.
                ruleNames: [rules.accessKeyRuleName],
                aggregatorName: organizationGuardrails?.aggregatorName,
                aggregatorArn: organizationGuardrails?.aggregatorArn,
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

        new RemediatorAlarms(
            `${name}-remediator-alarms`,
            {
                namePrefix: c.namePrefix,
                topicArn: alerts.topicArn,
                functionName: remediator.functionName,
                deadLetterQueueName: remediator.deadLetterQueueName,
            },
            parent,
        );

        // Organization rules have generated names in each account: a remediation configuration cannot name them.
        if (c.mode === "account") {
            const configRemediation = new ConfigRemediation(
                `${name}-config-remediation`,
                {
                    namePrefix: c.namePrefix,
                    region: c.region,
                    accountId,
                    configRuleName: rules.accessKeyRuleName,
                    functionName: remediator.functionName,
                    functionArn: remediator.functionArn,
                    automatic: c.automaticRemediation,
                },
                parent,
            );
            this.configRemediationDocument = configRemediation.document.name;
        }

        this.mode = pulumi.output(c.mode);
        this.region = pulumi.output(c.region);
        this.rules = rules.rules;
        this.ruleNames = rules.ruleNames;
        this.ruleArns = rules.ruleArns;
        this.configConsoleUrls = rules.rules.apply((rs) => Object.fromEntries(rs.map((r) => [r.name, r.consoleUrl])));
        this.alertTopicArn = alerts.topicArn;
        this.remediatorFunctionName = remediator.functionName;
        this.remediatorDeadLetterQueueUrl = remediator.deadLetterQueueUrl;
        this.registerOutputs(Object.fromEntries(GUARDRAIL_OUTPUTS.map((key) => [key, this[key]])));
    }
}

/** Every output of RootGuardrails, in the order the stack exports them. */
export const GUARDRAIL_OUTPUTS = [
    "mode",
    "region",
    "rules",
    "ruleNames",
    "ruleArns",
    "configConsoleUrls",
    "alertTopicArn",
    "remediatorFunctionName",
    "remediatorDeadLetterQueueUrl",
    "rootActivityRuleArn",
    "rootActivityBusArn",
    "rootActivityStackSet",
    "trailArn",
    "configRemediationDocument",
    "aggregatorName",
    "serviceControlPolicyIds",
] as const satisfies readonly (keyof RootGuardrails)[];
