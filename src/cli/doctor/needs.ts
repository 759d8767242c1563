/**
 * What a configuration asks of the target account, derived from the same config the stack composes its
 * components from (stacks/components/guardrails.ts). Kept here, free of Pulumi imports, so doctor starts in a
 * fraction of a second; tests/cli/doctor-needs.test.ts holds these to the components so they cannot drift.
 */
import type { RootguardConfig } from "../../../stacks/config";
import { ManagedRuleFact, ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE, ruleName } from "../../core/aws-facts";
import { DEFAULTS } from "../../remediator/settings";

/** The managed rules the stack deploys, root access key rule first (as `selectedRules` in root-credential-rules.ts). */
export function plannedRules(config: Pick<RootguardConfig, "rootMfaRule" | "hardwareMfaRule">): ManagedRuleFact[] {
    return [
        ROOT_ACCESS_KEY_RULE,
        ...(config.rootMfaRule ? [ROOT_MFA_RULE] : []),
        ...(config.hardwareMfaRule ? [ROOT_HARDWARE_MFA_RULE] : []),
    ];
}

/** The name the stack gives a rule (RootCredentialRules without `names`): `<namePrefix>-<console name>`. */
export function plannedRuleName(config: Pick<RootguardConfig, "namePrefix">, rule: ManagedRuleFact): string {
    return ruleName(config.namePrefix, rule);
}

/** Why a config must be deployed by the management account itself (empty: a delegated administrator can). */
export interface ManagementOnly {
    /** The config key that asks for it (set to false to deploy from a delegated administrator instead). */
    key: "manageOrganizationsFeatures" | "rootActivityAlerts";
    why: string;
    /** What to do instead, from the delegated administrator. */
    instead: string;
}

/**
 * What of organization mode only the management account can deploy; the rest a delegated administrator can (see
 * trustedServices and plannedScps):
 * - aws.iam.OrganizationsFeatures (manageOrganizationsFeatures): IAM answers CallerIsNotManagementAccountException,
 *   and OrganizationGuardrails refuses to plan it from any other account.
 * - Organization-wide root activity alerts: the forwarder StackSet is service-managed and created as the management
 *   account (CallAs SELF); such a StackSet never deploys to the management account, which the stack's own forwarders
 *   cover because they are the management account's. OrganizationForwarders refuses to plan it from any other account.
 */
export function managementOnly(
    config: Pick<RootguardConfig, "mode" | "manageOrganizationsFeatures" | "rootActivityAlerts">,
): ManagementOnly[] {
    if (config.mode !== "organization") return [];
    const parts: ManagementOnly[] = [];
    if (config.manageOrganizationsFeatures) {
        parts.push({
            key: "manageOrganizationsFeatures",
            why: "centralized root access (aws.iam.OrganizationsFeatures) can only be enabled from the management account",
            instead:
                "enable RootCredentialsManagement and RootSessions in the management account (IAM console → Root access management) and pulumi config set rootguard:manageOrganizationsFeatures false",
        });
    }
    if (config.rootActivityAlerts) {
        parts.push({
            key: "rootActivityAlerts",
            why: "organization-wide root activity alerts deploy from the management account only (its service-managed StackSet is created as the management account, and never deploys to it)",
            instead: "pulumi config set rootguard:rootActivityAlerts false",
        });
    }
    return parts;
}

export function needsManagementAccount(
    config: Pick<RootguardConfig, "mode" | "manageOrganizationsFeatures" | "rootActivityAlerts">,
): boolean {
    return managementOnly(config).length > 0;
}

/**
 * Organization mode creates SCPs unless serviceControlPolicies is false: from the management account, or from a member
 * the management account delegated AWS Organizations policy management to (not visible from the member).
 */
export function plannedScps(config: Pick<RootguardConfig, "mode" | "serviceControlPolicies">): boolean {
    return config.mode === "organization" && config.serviceControlPolicies;
}

export interface TrustedService {
    principal: string;
    why: string;
    /** True when the stack's own API calls enable it (the deployer then needs organizations:EnableAWSServiceAccess). */
    enabledByStack: boolean;
    /** The command that enables it, from the management account. */
    enable: string;
    /** The command that registers `account` as the service's delegated administrator, from the management account. */
    register(account: string): string;
}

function organizationsService(principal: string, why: string, enabledByStack: boolean): TrustedService {
    return {
        principal,
        why,
        enabledByStack,
        enable: `aws organizations enable-aws-service-access --service-principal ${principal}`,
        register: (account) =>
            `aws organizations register-delegated-administrator --account-id ${account} --service-principal ${principal}`,
    };
}

/**
 * Trusted access the organization stack relies on. PutOrganizationConfigRule and PutConfigurationAggregator
 * enable their own (AWS Config API reference), and so does CloudTrail's CreateTrail for an organization trail
 * (CloudTrail User Guide, "Prepare for creating a trail for your organization"); centralized root access (IAM) must
 * be enabled beforehand: iam:ListOrganizationsFeatures and the Enable… calls fail with
 * ServiceAccessNotEnabledException without it; so must trusted access for CloudFormation StackSets, which
 * CloudFormation's ActivateOrganizationsAccess turns on (CloudFormation User Guide, "Activate trusted access for
 * StackSets with AWS Organizations"). Deployed from an account other than the management account, that account must
 * also be the registered delegated administrator of each of these services.
 */
export function trustedServices(config: Pick<RootguardConfig, "mode" | "rootActivityAlerts" | "createTrail">): TrustedService[] {
    if (config.mode !== "organization") return [];
    return [
        organizationsService("iam.amazonaws.com", "centralized root access", false),
        organizationsService("config-multiaccountsetup.amazonaws.com", "organization Config rules", true),
        organizationsService("config.amazonaws.com", "the organization Config aggregator", true),
        ...(config.rootActivityAlerts
            ? [
                  {
                      ...organizationsService(
                          "member.org.stacksets.cloudformation.amazonaws.com",
                          "the root activity StackSet in member accounts",
                          false,
                      ),
                      enable: "aws cloudformation activate-organizations-access",
                  },
              ]
            : []),
        ...(config.createTrail
            ? [
                  {
                      ...organizationsService("cloudtrail.amazonaws.com", "the organization trail", true),
                      // CloudTrail's own call also creates its service-linked role (CloudTrail User Guide).
                      register: (account: string) => `aws cloudtrail register-organization-delegated-admin --member-account-id ${account}`,
                  },
              ]
            : []),
    ];
}

/**
 * Root API calls and console sign-ins reach EventBridge only from a trail that is logging (EventBridge user guide):
 * one must exist before `pulumi up` unless the stack creates it (createTrail).
 */
export function needsTrail(config: Pick<RootguardConfig, "rootActivityAlerts" | "createTrail">): boolean {
    return config.rootActivityAlerts && !config.createTrail;
}

/**
 * AWS services that publish to the alert topic, so must be able to use its KMS key (AlertTopic): CloudWatch for the
 * remediator's dead-letter alarm, always; EventBridge for root activity alerts.
 */
export function topicPublishers(config: Pick<RootguardConfig, "rootActivityAlerts">): string[] {
    return ["cloudwatch.amazonaws.com", ...(config.rootActivityAlerts ? ["events.amazonaws.com"] : [])];
}

/** The remediator's function name (stacks/components/remediator.ts). */
export function remediatorFunctionName(config: Pick<RootguardConfig, "namePrefix">): string {
    return `${config.namePrefix}-remediator`;
}

/** Receives of one account message before the work queue dead-letters it (the stack keeps the remediator's default). */
export const WORK_QUEUE_MAX_RECEIVE_COUNT = DEFAULTS.maxReceiveCount;

/**
 * What invokes the remediator besides its work queue's event source mapping: the reconcile schedule, and in account
 * mode the Config remediation's SSM step (the Remediate button). Each is one invocation at a time.
 */
export function directInvokers(config: Pick<RootguardConfig, "mode">): ("reconcile schedule" | "Config remediation")[] {
    return config.mode === "account" ? ["reconcile schedule", "Config remediation"] : ["reconcile schedule"];
}

/**
 * Concurrent executions the remediator must be able to get: the workers of its work queue's event source mapping
 * (maximum concurrency `rootguard:concurrency`) plus one for a direct invocation running beside them. The
 * scheduled reconcile fills the queue while the workers already drain it, so the two overlap on every cycle; the
 * Remediate button is a person's occasional click, so one execution covers the direct invokers together.
 */
export function remediatorPeakExecutions(config: Pick<RootguardConfig, "concurrency">): number {
    return config.concurrency + 1;
}
