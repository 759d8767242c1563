/**
 * Facts about AWS that the stacks, the pack, the remediator and the CLI must agree on. One copy, so a
 * rule identifier or a task policy ARN cannot drift between the thing that deploys and the thing that checks.
 */
import { DEFAULT_NAME_PREFIX, physicalName } from "./naming";
import { PARTITIONS } from "./regions";
import { rootActivityPattern } from "./root-activity";

export interface ManagedRuleFact {
    /** AWS Config managed rule identifier (`Source.SourceIdentifier`). */
    identifier: string;
    /**
     * The name the Config console gives the managed rule (its page name). rootguard never uses it as is: a rule
     * someone added by hand has it, and PutConfigRule on an existing name overwrites that rule.
     */
    consoleName: string;
    /** The name rootguard's stacks give the rule with the default prefix: `rootguard-<consoleName>` (see ruleName). */
    defaultName: string;
    description: string;
}

/** The rule's name in a stack with this `namePrefix`: `<prefix>-<console name>`. */
export function ruleName(namePrefix: string, fact: Pick<ManagedRuleFact, "consoleName">): string {
    return physicalName(namePrefix, fact.consoleName);
}

function managedRule(identifier: string, consoleName: string, description: string): ManagedRuleFact {
    return { identifier, consoleName, defaultName: ruleName(DEFAULT_NAME_PREFIX, { consoleName }), description };
}

export const ROOT_ACCESS_KEY_RULE: ManagedRuleFact = managedRule(
    "IAM_ROOT_ACCESS_KEY_CHECK",
    "iam-root-access-key-check",
    "Checks whether the root user access key is available. NON_COMPLIANT if it exists (CIS 1.4, Security Hub IAM.4).",
);

export const ROOT_MFA_RULE: ManagedRuleFact = managedRule(
    "ROOT_ACCOUNT_MFA_ENABLED",
    "root-account-mfa-enabled",
    "Checks whether the root user requires multi-factor authentication to sign in (Security Hub IAM.9).",
);

export const ROOT_HARDWARE_MFA_RULE: ManagedRuleFact = managedRule(
    "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
    "root-account-hardware-mfa-enabled",
    "Checks whether the root user uses a hardware MFA device to sign in (Security Hub IAM.6).",
);

export const ROOT_CREDENTIAL_RULES: readonly ManagedRuleFact[] = [ROOT_ACCESS_KEY_RULE, ROOT_MFA_RULE, ROOT_HARDWARE_MFA_RULE];

/** Root-credential rules evaluate the account itself. */
export const ACCOUNT_RESOURCE_TYPE = "AWS::::Account";

/**
 * How often AWS Config evaluates a periodic rule: the values of the API's `MaximumExecutionFrequency`. An object of
 * constants (not a union alone) so the component package's schema gets a named enum (Pulumi's component analyzer
 * reads `as const` objects whose type alias follows them).
 */
export const ConfigFrequency = {
    /** Every hour. */
    One_Hour: "One_Hour",
    /** Every 3 hours. */
    Three_Hours: "Three_Hours",
    /** Every 6 hours. */
    Six_Hours: "Six_Hours",
    /** Every 12 hours. */
    Twelve_Hours: "Twelve_Hours",
    /** Every 24 hours (AWS Config's default). */
    TwentyFour_Hours: "TwentyFour_Hours",
} as const;
export type ConfigFrequency = (typeof ConfigFrequency)[keyof typeof ConfigFrequency];
export const CONFIG_FREQUENCIES: readonly ConfigFrequency[] = Object.values(ConfigFrequency);
/** SQS event source mapping limits on maximum concurrency (Lambda developer guide, "Configuring maximum concurrency"). */
export const EVENT_SOURCE_MAX_CONCURRENCY = { min: 2, max: 1000 } as const;

/** A periodic managed rule with no frequency set runs every 24 hours. */
export const DEFAULT_FREQUENCY: ConfigFrequency = "TwentyFour_Hours";

const FREQUENCY_HOURS: Record<ConfigFrequency, number> = {
    One_Hour: 1,
    Three_Hours: 3,
    Six_Hours: 6,
    Twelve_Hours: 12,
    TwentyFour_Hours: 24,
};

export function isConfigFrequency(value: unknown): value is ConfigFrequency {
    return typeof value === "string" && (CONFIG_FREQUENCIES as readonly string[]).includes(value);
}

export function frequencyHours(frequency: ConfigFrequency): number {
    return FREQUENCY_HOURS[frequency];
}

/** Centralized root access task policies (`sts:AssumeRoot` `TaskPolicyArn`). */
export const AUDIT_TASK_POLICY = "IAMAuditRootUserCredentials";
export const DELETE_TASK_POLICY = "IAMDeleteRootUserCredentials";
export function taskPolicyArn(name: string, partition = "aws"): string {
    return `arn:${partition}:iam::aws:policy/root-task/${name}`;
}

/** The short task policy name of an ARN such as `arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials`. */
export function taskPolicyName(arn: string): string | undefined {
    const m = /^arn:[a-z-]+:iam::aws:policy\/root-task\/([A-Za-z0-9]+)$/.exec(arn);
    return m ? m[1] : undefined;
}

/** AssumeRoot sessions last at most 15 minutes. */
export const ASSUME_ROOT_MAX_DURATION_SECONDS = 900;

/** What the delete task policy allows. Note: no iam:UpdateAccessKey — root keys can be deleted, never deactivated. */
export const DELETE_TASK_ACTIONS = [
    "iam:DeleteAccessKey",
    "iam:DeleteSigningCertificate",
    "iam:DeleteLoginProfile",
    "iam:DeactivateMFADevice",
    "iam:ListAccessKeys",
    "iam:GetAccessKeyLastUsed",
    "iam:GetUser",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:ListSigningCertificates",
] as const;

/** SCP principal pattern for every account's root user (Control Tower's form). */
export const ROOT_PRINCIPAL_ARN_PATTERN = "arn:*:iam::*:root";
/** The SCP condition that keeps AssumeRoot (centralized root access) sessions out of a root deny. */
export const ASSUME_ROOT_EXEMPTION = { Null: { "aws:AssumedRoot": "true" } } as const;

/** CIS 4.3 / 3.3 CloudWatch Logs metric filter for root activity. */
/** EventBridge pattern for Config compliance changes of the given rules on the account resource. */
export function complianceChangeEventPattern(ruleNames: readonly string[]): Record<string, unknown> {
    return {
        source: ["aws.config"],
        "detail-type": ["Config Rules Compliance Change"],
        detail: {
            configRuleName: [...ruleNames],
            resourceType: [ACCOUNT_RESOURCE_TYPE],
        },
    };
}

/**
 * Config names the copy of an organization rule in each account `OrgConfigRule-<name>-<suffix>` (observed
 * naming, not an API contract), so events about organization rules are matched by prefix.
 */
export const ORGANIZATION_RULE_NAME_PREFIX = "OrgConfigRule-";

/** Like `complianceChangeEventPattern`, for the account-level copies of organization rules. */
export function organizationComplianceChangeEventPattern(organizationRuleNames: readonly string[]): Record<string, unknown> {
    return {
        source: ["aws.config"],
        "detail-type": ["Config Rules Compliance Change"],
        detail: {
            configRuleName: organizationRuleNames.map((name) => ({ prefix: `${ORGANIZATION_RULE_NAME_PREFIX}${name}` })),
            resourceType: [ACCOUNT_RESOURCE_TYPE],
        },
    };
}

/** Root API calls, console actions and sign-ins; defined with the alert texts in `root-activity.ts`. */
export const ROOT_ACTIVITY_EVENT_PATTERN: Readonly<Record<string, unknown>> = rootActivityPattern();

/** Where root console sign-ins are recorded in the commercial partition; other partitions: `globalEventsRegion`. */
export const ROOT_SIGN_IN_REGION = PARTITIONS.aws.globalEventsRegion;

/** The Config console page that shows one rule's compliance. */
export function configRuleConsoleUrl(region: string, ruleName: string): string {
    return `https://${region}.console.aws.amazon.com/config/home?region=${region}#/rules/details?configRuleName=${encodeURIComponent(ruleName)}`;
}

/** Where a person deletes the root user's access keys by hand (signed in as root). */
export const ROOT_SECURITY_CREDENTIALS_URL = "https://console.aws.amazon.com/iam/home#/security_credentials";

/** The manual path for root keys; automation can delete through AssumeRoot but never deactivate. */
export const MANUAL_ROOT_KEY_STEPS: readonly string[] = [
    "Sign in to the AWS Management Console as the root user of the account.",
    "Open Security credentials (account menu, top right).",
    "Under Access keys, choose Actions → Deactivate (Make inactive) for the key.",
    "Observe for a few days that nothing breaks (CloudTrail, application logs).",
    "Then choose Actions → Delete, and confirm.",
];

export const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: unknown): value is string {
    return typeof value === "string" && ACCOUNT_ID.test(value);
}
