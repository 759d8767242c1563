/**
 * The stack's configuration, read once and validated before any resource exists. Parsing is separate from
 * `pulumi.Config` (a `get(key)` function is enough) so the same rules run in unit tests, in other programs and
 * in `stacks/index.ts`. Defaults live in `CONFIG_KEYS` and must match the `config:` block of Pulumi.yaml
 * (a test compares them).
 */
import {
    CONFIG_FREQUENCIES,
    ConfigFrequency,
    DEFAULT_FREQUENCY,
    EVENT_SOURCE_MAX_CONCURRENCY,
    isAccountId,
    ManagedRuleFact,
    ROOT_ACCESS_KEY_RULE,
    ROOT_HARDWARE_MFA_RULE,
    ROOT_MFA_RULE,
} from "../src/core/aws-facts";
import { DEFAULT_NAME_PREFIX, isValidNamePrefix, NAME_PREFIX_MAX_LENGTH } from "../src/core/naming";
import { isKnownRegion, managedRuleUnavailableReason, partitionOf, REGION_PATTERN, regionsOfferingAll } from "../src/core/regions";
import { GUARDRAIL_MODES, GuardrailMode, REMEDIATION_ACTIONS, RemediationAction } from "../src/remediator/contract";
import { DEFAULTS } from "../src/remediator/settings";

export interface RootguardConfig {
    mode: GuardrailMode;
    /** The region everything is deployed to (root-credential rules are global: one region is enough). */
    region: string;
    namePrefix: string;
    frequency: ConfigFrequency;
    rootMfaRule: boolean;
    hardwareMfaRule: boolean;
    createRecorder: boolean;
    recordAllResources: boolean;
    alertEmails: string[];
    /** Empty: rootguard creates a customer managed key (EventBridge cannot publish to a topic under aws/sns). */
    alertKmsKeyId: string;
    rootActivityAlerts: boolean;
    remediation: RemediationAction;
    unusedDays: number;
    dryRun: boolean;
    automaticRemediation: boolean;
    reconcileSchedule: string;
    concurrency: number;
    reservedConcurrency: number;
    lambdaTimeoutSeconds: number;
    lambdaMemoryMb: number;
    logRetentionDays: number;
    excludedAccounts: string[];
    scpTargets: string[];
    serviceControlPolicies: boolean;
    denyAllRootActions: boolean;
    manageOrganizationsFeatures: boolean;
    /** Decisions the parser took for the user (a default-on rule skipped where AWS does not offer it), to log. */
    notices: string[];
    // Root activity detection (stacks/components/root-activity-alerts.ts, activity-trail.ts).
    /** Regions watched for root activity; empty: every region enabled by default in the stack's partition. */
    activityRegions: string[];
    /** Organization mode: root (r-…) or OU ids the forwarder StackSet deploys to; empty: the whole organization. */
    activityTargets: string[];
    createTrail: boolean;
}

type KeyType = "string" | "boolean" | "integer" | "array";

interface KeySpec<T> {
    type: KeyType;
    /** Undefined: the key is required (Pulumi.yaml declares it without a default, and the CLI refuses to run without it). */
    default: T | undefined;
    description: string;
    /** The only values accepted (an enum of the component package's schema). */
    enum?: readonly string[];
    /** Integers: the smallest and largest value accepted. */
    minimum?: number;
    maximum?: number;
}

/** Every `rootguard:` key: its Pulumi.yaml type, its default and what it means. */
export const CONFIG_KEYS = {
    mode: {
        type: "string",
        default: "account",
        enum: GUARDRAIL_MODES,
        description:
            "Where the guardrail runs: account (one AWS account) or organization (from the management account; see docs/stacks.md for what a delegated administrator can deploy).",
    },
    namePrefix: {
        type: "string",
        default: DEFAULT_NAME_PREFIX,
        description:
            "Prefix of every physical name (Config rules, function, roles, topic, queue, document, SCPs, bucket); names unique beyond a region also carry the region. Stacks in the same account and region need different prefixes.",
    },
    frequency: {
        type: "string",
        default: DEFAULT_FREQUENCY,
        enum: CONFIG_FREQUENCIES,
        description:
            "How often AWS Config evaluates the periodic root-credential rules: One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours.",
    },
    rootMfaRule: {
        type: "boolean",
        default: true,
        description:
            "Also deploy <namePrefix>-root-account-mfa-enabled (ROOT_ACCOUNT_MFA_ENABLED); skipped with a warning in regions where AWS Config does not offer the rule.",
    },
    hardwareMfaRule: {
        type: "boolean",
        default: false,
        description:
            "Also deploy <namePrefix>-root-account-hardware-mfa-enabled (ROOT_ACCOUNT_HARDWARE_MFA_ENABLED); refused in regions where AWS Config does not offer the rule.",
    },
    createRecorder: {
        type: "boolean",
        default: undefined,
        description:
            "Required. true: create a Config recorder, delivery channel and S3 bucket (only where the account/region has none). false: use the recorder already recording there (Config rules cannot be created without one). rootguard doctor tells you which.",
    },
    recordAllResources: {
        type: "boolean",
        default: false,
        description:
            "With createRecorder: record every supported resource type instead of only AWS::IAM::User (periodic rules need a running recorder, not recorded types).",
    },
    alertEmails: {
        type: "array",
        default: [] as string[],
        description: "E-mail addresses subscribed to the alert topic (each must confirm the subscription).",
    },
    alertKmsKeyId: {
        type: "string",
        default: "",
        description:
            "KMS key (ARN or alias) for the alert topic. Empty: create a customer managed key whose policy lets EventBridge publish.",
    },
    rootActivityAlerts: {
        type: "boolean",
        default: true,
        description:
            "Alert on root sign-ins, root API calls (read-only included) and root password/MFA/key changes in every watched region (and, in organization mode, every member account: deployed from the management account only).",
    },
    remediation: {
        type: "string",
        default: DEFAULTS.action,
        enum: REMEDIATION_ACTIONS,
        description: "What the remediator does with root access keys: notify, delete-unused or delete.",
    },
    unusedDays: {
        type: "integer",
        default: DEFAULTS.unusedDays,
        minimum: 1,
        maximum: 3650,
        description: "delete-unused: delete keys not used for this many days (CIS 1.12: 45).",
    },
    dryRun: { type: "boolean", default: false, description: "The remediator reports what it would do and changes nothing." },
    automaticRemediation: {
        type: "boolean",
        default: false,
        description:
            "Account mode: Config runs the remediation automatically on NON_COMPLIANT instead of waiting for the Remediate button.",
    },
    reconcileSchedule: {
        type: "string",
        default: "rate(1 day)",
        description: "EventBridge schedule expression for the reconcile run (compliance-change events are best effort).",
    },
    concurrency: {
        type: "integer",
        default: DEFAULTS.concurrency,
        minimum: EVENT_SOURCE_MAX_CONCURRENCY.min,
        maximum: EVENT_SOURCE_MAX_CONCURRENCY.max,
        description:
            "Accounts the remediator handles at once (AssumeRoot sessions in flight): the maximum concurrency of its work queue's event source.",
    },
    reservedConcurrency: {
        type: "integer",
        default: 0,
        minimum: 0,
        maximum: 1000,
        description:
            "Reserved concurrent executions of the remediator; 0 (default) leaves it unreserved. New accounts have a concurrency quota of 10 and cannot reserve any; concurrency is bounded by the work queue's maximum concurrency anyway.",
    },
    lambdaTimeoutSeconds: {
        type: "integer",
        default: 300,
        minimum: 60,
        maximum: 900,
        description:
            "Remediator timeout in seconds; the work queue's visibility timeout is six times this. The Remediate button's SSM step waits at most 300 s.",
    },
    lambdaMemoryMb: { type: "integer", default: 256, minimum: 128, maximum: 10240, description: "Remediator memory in MB." },
    logRetentionDays: {
        type: "integer",
        default: 90,
        minimum: 1,
        maximum: 3653,
        description: "Retention of the remediator's log group, in days (a CloudWatch Logs retention value).",
    },
    excludedAccounts: {
        type: "array",
        default: [] as string[],
        description: "Organization mode: account ids the organization rules skip (for example accounts without a recorder).",
    },
    scpTargets: {
        type: "array",
        default: [] as string[],
        description:
            "Organization mode: root (r-…), OU (ou-…) or account ids the SCPs attach to. Empty: SCPs are created but not attached.",
    },
    serviceControlPolicies: {
        type: "boolean",
        default: true,
        description:
            "Organization mode: create the SCPs (management account, or a delegated administrator for AWS Organizations policies). false from a Config delegated administrator.",
    },
    denyAllRootActions: {
        type: "boolean",
        default: false,
        description: "Organization mode: also create the SCP that denies every action by root users (AssumeRoot sessions exempt).",
    },
    manageOrganizationsFeatures: {
        type: "boolean",
        default: true,
        description:
            "Organization mode, management account only: enable RootCredentialsManagement and RootSessions (aws.iam.OrganizationsFeatures). Kept enabled on destroy or when set to false (retainOnDelete). false when managed elsewhere.",
    },
    // Root activity detection.
    activityRegions: {
        type: "array",
        default: [] as string[],
        description:
            "Regions watched for root activity. Empty: every region enabled by default in the stack's partition; the partition's global-events region (us-east-1, cn-north-1, us-gov-west-1) and the stack region are always added.",
    },
    activityTargets: {
        type: "array",
        default: [] as string[],
        description:
            "Organization mode: root (r-…) or OU (ou-…) ids the root activity StackSet deploys to, following new accounts automatically. Empty: the organization's root.",
    },
    createTrail: {
        type: "boolean",
        default: false,
        description:
            "Create the CloudTrail trail root activity alerts need (multi-region, KMS-encrypted, log-file validation; an organization trail in organization mode). Leave false where a trail already logs management events.",
    },
} satisfies Record<Exclude<keyof RootguardConfig, "region" | "notices">, KeySpec<unknown>>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[A-Za-z]{2,}$/;
const ORG_ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const KMS_KEY_REF =
    /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\([^()]+\))$/;

/**
 * One message, naming the key, for the first bad value. `reason` is the message without the key's name, for
 * callers that name the value their own way (the component package names its input, not the stack key).
 */
export class ConfigError extends Error {
    readonly reason: string;
    constructor(
        readonly key: string,
        message: string,
        reason?: string,
    ) {
        super(message);
        this.name = "ConfigError";
        this.reason = reason ?? message;
    }
}

/** What the parser needs from `pulumi.Config`: the raw string (JSON for arrays) or undefined. */
export type RawConfig = (key: ConfigKey) => string | undefined;

function fail(key: string, what: string, got: unknown): never {
    const reason = `${what} (got ${JSON.stringify(got)})`;
    throw new ConfigError(key, `rootguard:${key} ${reason}`, reason);
}

function str(raw: RawConfig, key: ConfigKey): string {
    const value = raw(key);
    return value === undefined || value === "" ? (CONFIG_KEYS[key].default as string) : value.trim();
}

function bool(raw: RawConfig, key: ConfigKey): boolean {
    const value = raw(key);
    if (value === undefined || value === "") {
        const fallback = CONFIG_KEYS[key].default;
        if (fallback === undefined) return required(key);
        return fallback as boolean;
    }
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
    return fail(key, "must be true or false", value);
}

/** Required keys explain the choice: Pulumi.yaml makes the CLI refuse first, this covers programs that reuse parseConfig. */
function required(key: ConfigKey): never {
    const why: Partial<Record<ConfigKey, string>> = {
        createRecorder:
            "true creates an AWS Config recorder in this region (only where there is none), false uses the one already recording (AWS Config rules cannot be created without one); `rootguard doctor` checks which applies",
    };
    const reason = `must be set: ${why[key] ?? CONFIG_KEYS[key].description}`;
    throw new ConfigError(key, `rootguard:${key} ${reason}`, reason);
}

type IntegerKey = { [K in ConfigKey]: (typeof CONFIG_KEYS)[K] extends { minimum: number; maximum: number } ? K : never }[ConfigKey];

function int(raw: RawConfig, key: IntegerKey): number {
    const value = raw(key);
    const { minimum: min, maximum: max } = CONFIG_KEYS[key];
    if (value === undefined || value === "") return CONFIG_KEYS[key].default as number;
    const v = value.trim();
    if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) return fail(key, `must be an integer from ${min} to ${max}`, value);
    return Number(v);
}

/** Arrays arrive as JSON (Pulumi.yaml `type: array`); a comma-separated string is accepted for the CLI's sake. */
function list(raw: RawConfig, key: ConfigKey): string[] {
    const value = raw(key);
    if (value === undefined || value.trim() === "") return [...(CONFIG_KEYS[key].default as string[])];
    const v = value.trim();
    let items: unknown;
    if (v.startsWith("[")) {
        try {
            items = JSON.parse(v);
        } catch {
            return fail(key, "must be a list (YAML list or JSON array)", value);
        }
    } else {
        items = v.split(",").map((s) => s.trim());
    }
    if (!Array.isArray(items)) return fail(key, "must be a list", value);
    const out: string[] = [];
    for (const item of items) {
        if (typeof item !== "string" && typeof item !== "number") return fail(key, "must be a list of strings", item);
        const s = String(item).trim();
        if (s !== "" && !out.includes(s)) out.push(s);
    }
    return out;
}

type EnumKey = { [K in ConfigKey]: (typeof CONFIG_KEYS)[K] extends { enum: readonly string[] } ? K : never }[ConfigKey];

/** A key's value among the spec's `enum` (typed by the caller: `mode` → GuardrailMode and so on). */
function oneOf<T extends string>(raw: RawConfig, key: EnumKey): T {
    const allowed = CONFIG_KEYS[key].enum as readonly T[];
    const value = str(raw, key);
    if (!(allowed as readonly string[]).includes(value)) return fail(key, `must be one of ${allowed.join(", ")}`, raw(key));
    return value as T;
}

function activityConfig(raw: RawConfig, region: string): Pick<RootguardConfig, "activityRegions" | "activityTargets" | "createTrail"> {
    const activityRegions = list(raw, "activityRegions");
    const partition = partitionOf(region);
    if (partition === undefined && bool(raw, "rootActivityAlerts"))
        throw new ConfigError(
            "aws:region",
            `aws:region ${region} is not a region rootguard knows the partition of; set rootguard:rootActivityAlerts to false to deploy there`,
        );
    for (const r of activityRegions) {
        if (!isKnownRegion(r)) fail("activityRegions", "must hold AWS region names such as eu-west-1", r);
        if (partition !== undefined && partitionOf(r) !== partition)
            fail("activityRegions", `must hold regions of the stack region's partition (${partition})`, r);
    }
    const activityTargets = list(raw, "activityTargets");
    for (const id of activityTargets) {
        if (!ORG_ROOT_ID.test(id) && !OU_ID.test(id))
            fail("activityTargets", "must hold organization root ids (r-…) or OU ids (ou-…-…)", id);
    }
    return { activityRegions, activityTargets, createTrail: bool(raw, "createTrail") };
}

/** Typed values of the keys, as a program passes them (RootGuardrails' inputs): booleans, numbers, lists. */
export type ConfigValues = Partial<Record<ConfigKey, unknown>>;

/**
 * `parseConfig` over typed values instead of config strings: the same defaults, checks and messages. Each value
 * decides which resources exist, so it must be known before anything is planned: an object (an Output, say) is
 * refused.
 */
export function parseConfigValues(values: ConfigValues, region: string | undefined): RootguardConfig {
    return parseConfig((key) => {
        const value = values[key];
        if (value === undefined || value === null) return undefined;
        if (typeof value === "string") return value;
        if (typeof value === "number" || typeof value === "boolean") return String(value);
        if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return JSON.stringify(value);
        const reason = `must be a plain value known before deployment, not an output or an object (it decides which resources exist)`;
        throw new ConfigError(key, `rootguard:${key} ${reason}`, reason);
    }, region);
}

/**
 * Validate everything up front. `region` comes from `aws:region` (or AWS_REGION), which the provider needs
 * anyway; it decides whether the us-east-1 forwarder exists, so it must be known while the program runs.
 */
export function parseConfig(raw: RawConfig, region: string | undefined): RootguardConfig {
    if (region === undefined || !REGION_PATTERN.test(region)) {
        throw new ConfigError(
            "aws:region",
            `aws:region must be set to an AWS region such as eu-west-1 (got ${JSON.stringify(region ?? "")})`,
        );
    }
    const mode = oneOf<GuardrailMode>(raw, "mode");

    const frequency = oneOf<ConfigFrequency>(raw, "frequency");

    const namePrefix = str(raw, "namePrefix");
    if (!isValidNamePrefix(namePrefix))
        fail(
            "namePrefix",
            `must start with a lower-case letter and hold up to ${NAME_PREFIX_MAX_LENGTH} lower-case letters, digits or single hyphens, ending in a letter or digit`,
            namePrefix,
        );

    const alertEmails = list(raw, "alertEmails");
    for (const email of alertEmails) if (!EMAIL.test(email)) fail("alertEmails", "must hold e-mail addresses like ops@example.com", email);

    const alertKmsKeyId = str(raw, "alertKmsKeyId");
    if (alertKmsKeyId !== "" && !KMS_KEY_REF.test(alertKmsKeyId))
        fail("alertKmsKeyId", "must be a KMS key id, key ARN, alias/… or alias ARN", alertKmsKeyId);

    const reconcileSchedule = str(raw, "reconcileSchedule");
    if (!SCHEDULE.test(reconcileSchedule))
        fail(
            "reconcileSchedule",
            'must be an EventBridge schedule such as "rate(1 day)", "rate(6 hours)" or "cron(0 6 * * ? *)"',
            reconcileSchedule,
        );

    const logRetentionDays = int(raw, "logRetentionDays");
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
        fail("logRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}`, raw("logRetentionDays"));

    const excludedAccounts = list(raw, "excludedAccounts");
    for (const id of excludedAccounts) if (!isAccountId(id)) fail("excludedAccounts", "must hold 12-digit account ids", id);

    const scpTargets = list(raw, "scpTargets");
    for (const id of scpTargets) {
        if (!ORG_ROOT_ID.test(id) && !OU_ID.test(id) && !isAccountId(id)) {
            fail("scpTargets", "must hold organization root ids (r-…), OU ids (ou-…-…) or 12-digit account ids", id);
        }
    }

    const config: RootguardConfig = {
        mode,
        region,
        namePrefix,
        frequency,
        rootMfaRule: bool(raw, "rootMfaRule"),
        hardwareMfaRule: bool(raw, "hardwareMfaRule"),
        createRecorder: bool(raw, "createRecorder"),
        recordAllResources: bool(raw, "recordAllResources"),
        alertEmails,
        alertKmsKeyId,
        rootActivityAlerts: bool(raw, "rootActivityAlerts"),
        remediation: oneOf<RemediationAction>(raw, "remediation"),
        unusedDays: int(raw, "unusedDays"),
        dryRun: bool(raw, "dryRun"),
        automaticRemediation: bool(raw, "automaticRemediation"),
        reconcileSchedule,
        concurrency: int(raw, "concurrency"),
        reservedConcurrency: int(raw, "reservedConcurrency"),
        lambdaTimeoutSeconds: int(raw, "lambdaTimeoutSeconds"),
        lambdaMemoryMb: int(raw, "lambdaMemoryMb"),
        logRetentionDays,
        excludedAccounts,
        scpTargets,
        serviceControlPolicies: bool(raw, "serviceControlPolicies"),
        denyAllRootActions: bool(raw, "denyAllRootActions"),
        manageOrganizationsFeatures: bool(raw, "manageOrganizationsFeatures"),
        notices: [],
        ...activityConfig(raw, region),
    };
    checkRuleRegions(config);

    if (mode === "account") {
        // Organization-only keys in account mode are almost certainly a mistake in the stack file.
        if (config.excludedAccounts.length > 0) fail("excludedAccounts", "applies only to mode organization", config.excludedAccounts);
        if (config.scpTargets.length > 0) fail("scpTargets", "applies only to mode organization", config.scpTargets);
        if (config.denyAllRootActions) fail("denyAllRootActions", "applies only to mode organization", true);
        if (config.activityTargets.length > 0) fail("activityTargets", "applies only to mode organization", config.activityTargets);
    }
    if (mode === "organization" && !config.serviceControlPolicies) {
        if (config.scpTargets.length > 0)
            fail("scpTargets", "needs serviceControlPolicies: true (no SCPs are created to attach)", config.scpTargets);
        if (config.denyAllRootActions) fail("denyAllRootActions", "needs serviceControlPolicies: true", true);
    }
    if (mode === "organization" && config.automaticRemediation) {
        // Organization rules get generated names in member accounts; a remediation configuration cannot bind to them.
        fail("automaticRemediation", "applies only to mode account (organization mode reconciles on reconcileSchedule)", true);
    }
    return config;
}

/**
 * AWS Config does not offer every managed rule in every region (src/core/regions.ts holds AWS's lists). The
 * access key rule is the point of the stack: a region without it is refused, and so is the opt-in hardware MFA
 * rule. The MFA rule that is on by default is skipped with a notice instead, so the defaults work in GovCloud and
 * China (Pulumi hands Pulumi.yaml defaults to the program like set values: "on by default" and "asked for"
 * cannot be told apart).
 */
function checkRuleRegions(config: RootguardConfig): void {
    const elsewhere = (rules: readonly ManagedRuleFact[]): string => {
        const partition = partitionOf(config.region) ?? "aws";
        const regions = regionsOfferingAll(
            rules.map((r) => r.identifier),
            partition,
        ).slice(0, 4);
        return regions.length > 0
            ? `; the rules are global (one region covers the account), so deploy the stack in a region that offers them, such as ${regions.join(", ")}`
            : "";
    };
    const accessKey = managedRuleUnavailableReason(ROOT_ACCESS_KEY_RULE.identifier, config.region);
    if (accessKey !== undefined) {
        throw new ConfigError(
            "aws:region",
            `aws:region ${config.region} cannot host rootguard's rules: ${accessKey}${elsewhere([ROOT_ACCESS_KEY_RULE])}`,
        );
    }
    const hardware = config.hardwareMfaRule ? managedRuleUnavailableReason(ROOT_HARDWARE_MFA_RULE.identifier, config.region) : undefined;
    if (hardware !== undefined) {
        throw new ConfigError(
            "hardwareMfaRule",
            `rootguard:hardwareMfaRule is true, but ${hardware}: set it to false${elsewhere([ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE])}`,
        );
    }
    const mfa = config.rootMfaRule ? managedRuleUnavailableReason(ROOT_MFA_RULE.identifier, config.region) : undefined;
    if (mfa !== undefined) {
        config.rootMfaRule = false;
        config.notices.push(
            `rootguard:rootMfaRule is true, but ${mfa}: the rule is skipped (set rootguard:rootMfaRule: false to silence this)`,
        );
    }
}
