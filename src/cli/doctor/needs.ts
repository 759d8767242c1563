/**
 * What a configuration asks of the target account, derived from the same config the stack composes its
 * components from (stacks/components/guardrails.ts). Kept here, free of Pulumi imports, so doctor starts in a
 * fraction of a second; tests/cli/doctor-needs.test.ts holds these to the components so they cannot drift.
 */
import type { RootguardConfig } from "../../../stacks/config";
import { ManagedRuleFact, ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE } from "../../core/aws-facts";

/** The managed rules the stack deploys, root access key rule first (as `selectedRules` in root-credential-rules.ts). */
export function plannedRules(config: Pick<RootguardConfig, "rootMfaRule" | "hardwareMfaRule">): ManagedRuleFact[] {
    return [
        ROOT_ACCESS_KEY_RULE,
        ...(config.rootMfaRule ? [ROOT_MFA_RULE] : []),
        ...(config.hardwareMfaRule ? [ROOT_HARDWARE_MFA_RULE] : []),
    ];
}

/** The Config key that turns an optional rule off; undefined for the rule rootguard always deploys. */
export function ruleSwitch(rule: ManagedRuleFact): "rootMfaRule" | "hardwareMfaRule" | undefined {
    if (rule.identifier === ROOT_MFA_RULE.identifier) return "rootMfaRule";
    if (rule.identifier === ROOT_HARDWARE_MFA_RULE.identifier) return "hardwareMfaRule";
    return undefined;
}

/** The name the stack gives a rule (RootCredentialRules: no `names` are passed, so the console's default). */
export function plannedRuleName(rule: ManagedRuleFact): string {
    return rule.defaultName;
}

/**
 * Organization mode always creates SCPs (OrganizationGuardrails) and, unless turned off, manages the
 * Organizations features: both only from the management account.
 */
export function needsManagementAccount(config: RootguardConfig): boolean {
    return config.mode === "organization";
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
 */
export function trustedServices(config: RootguardConfig): TrustedService[] {
    if (config.mode !== "organization") return [];
    return [
        { principal: "iam.amazonaws.com", why: "centralized root access", enabledByStack: false },
        { principal: "config-multiaccountsetup.amazonaws.com", why: "organization Config rules", enabledByStack: true },
        { principal: "config.amazonaws.com", why: "the organization Config aggregator", enabledByStack: true },
    ];
}

/** Root API calls and console sign-ins reach EventBridge only from a trail that is logging (EventBridge user guide). */
export function needsTrail(config: RootguardConfig): boolean {
    return config.rootActivityAlerts;
}

/** The remediator's function name (stacks/components/remediator.ts). */
export function remediatorFunctionName(config: RootguardConfig): string {
    return `${config.namePrefix}-remediator`;
}
