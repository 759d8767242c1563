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

/**
 * Only aws.iam.OrganizationsFeatures (manageOrganizationsFeatures) needs the management account itself
 * (OrganizationGuardrails refuses to plan it from any other account). The rest of organization mode can be
 * deployed from a delegated administrator: see trustedServices and plannedScps.
 */
export function needsManagementAccount(config: Pick<RootguardConfig, "mode" | "manageOrganizationsFeatures">): boolean {
    return config.mode === "organization" && config.manageOrganizationsFeatures;
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
}

/**
 * Trusted access the organization stack relies on. PutOrganizationConfigRule and PutConfigurationAggregator
 * enable their own (AWS Config API reference); centralized root access (IAM) must be enabled beforehand:
 * iam:ListOrganizationsFeatures and the Enable… calls fail with ServiceAccessNotEnabledException without it.
 * Deployed from an account other than the management account, that account must also be the registered delegated
 * administrator of each of these services (organization rules, the aggregator, the remediator's sts:AssumeRoot).
 */
export function trustedServices(config: Pick<RootguardConfig, "mode">): TrustedService[] {
    if (config.mode !== "organization") return [];
    return [
        { principal: "iam.amazonaws.com", why: "centralized root access", enabledByStack: false },
        { principal: "config-multiaccountsetup.amazonaws.com", why: "organization Config rules", enabledByStack: true },
        { principal: "config.amazonaws.com", why: "the organization Config aggregator", enabledByStack: true },
    ];
}

/** Root API calls and console sign-ins reach EventBridge only from a trail that is logging (EventBridge user guide). */
export function needsTrail(config: Pick<RootguardConfig, "rootActivityAlerts">): boolean {
    return config.rootActivityAlerts;
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
