/**
 * Partitions and regions, one copy for the stacks (which regions to watch), the remediator (regional STS) and
 * `rootguard doctor`. Region lists follow the AWS SDK's endpoint partition data (@aws-sdk/core 3.x,
 * util-endpoints partitions); which regions are enabled by default follows "Enable or disable AWS Regions in
 * your account" (AWS Account Management guide): regions introduced before 20 March 2019 are enabled by default,
 * later ones are opt-in. Only the partitions rootguard supports (commercial, China, GovCloud) are listed.
 */

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

interface PartitionFacts {
    /** Regions every account has, without opting in. */
    defaultEnabled: readonly string[];
    /** Regions an account must opt in to (commercial partition only). */
    optIn: readonly string[];
    /**
     * Where CloudTrail records the partition's global-service events (IAM, STS global endpoint, root console
     * sign-in) and so where EventBridge delivers them: us-east-1, cn-north-1, us-gov-west-1. Sources: CloudTrail
     * User Guide, "Global service events" and "AWS Management Console sign-in events" ("If you sign in as the root
     * user, CloudTrail records the event in us-east-1"); "Amazon CloudTrail" in Getting Started with Amazon Web
     * Services in China (global-service trails are kept in cn-north-1). tests/core/regions.test.ts holds each to
     * the region the AWS SDK signs the partition's global IAM endpoint for.
     */
    globalEventsRegion: string;
}

export const PARTITIONS: Record<Partition, PartitionFacts> = {
    aws: {
        defaultEnabled: [
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "ap-south-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-southeast-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-north-1",
            "sa-east-1",
        ],
        optIn: [
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-south-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-west-1",
            "eu-central-2",
            "eu-south-1",
            "eu-south-2",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-west-1",
        ],
        globalEventsRegion: "us-east-1",
    },
    "aws-cn": { defaultEnabled: ["cn-north-1", "cn-northwest-1"], optIn: [], globalEventsRegion: "cn-north-1" },
    "aws-us-gov": { defaultEnabled: ["us-gov-west-1", "us-gov-east-1"], optIn: [], globalEventsRegion: "us-gov-west-1" },
};

/** A region-shaped string (`eu-west-1`, `us-gov-west-1`, `cn-north-1`); says nothing of whether it exists. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The partition of a region rootguard knows, or undefined. */
export function partitionOf(region: string): Partition | undefined {
    for (const [id, facts] of Object.entries(PARTITIONS) as [Partition, PartitionFacts][]) {
        if (facts.defaultEnabled.includes(region) || facts.optIn.includes(region)) return id;
    }
    return undefined;
}

export function isKnownRegion(region: string): boolean {
    return partitionOf(region) !== undefined;
}

/** Every region of the partition enabled by default in every account, in a stable order. */
export function defaultEnabledRegions(partition: Partition): readonly string[] {
    return PARTITIONS[partition].defaultEnabled;
}

export function globalEventsRegion(partition: Partition): string {
    return PARTITIONS[partition].globalEventsRegion;
}

/**
 * The regions to watch for root activity: the listed ones, or every default-enabled region of the stack
 * region's partition when none are listed; always with the partition's global-events region (root sign-ins and
 * IAM calls arrive only there) and the stack region (where the central bus lives). Stable order: the
 * partition's own order, then anything else as listed. Throws on a region of another partition or an unknown one.
 */
export function activityRegions(stackRegion: string, listed: readonly string[] = []): string[] {
    const partition = partitionOf(stackRegion);
    if (partition === undefined) throw new Error(`unknown AWS region ${stackRegion}`);
    for (const region of listed) {
        const p = partitionOf(region);
        if (p === undefined) throw new Error(`unknown AWS region ${region}`);
        if (p !== partition) throw new Error(`${region} is in partition ${p}, the stack region ${stackRegion} in ${partition}`);
    }
    const wanted = new Set([
        ...(listed.length > 0 ? listed : defaultEnabledRegions(partition)),
        globalEventsRegion(partition),
        stackRegion,
    ]);
    const facts = PARTITIONS[partition];
    return [...facts.defaultEnabled, ...facts.optIn].filter((r) => wanted.has(r));
}

export function isOptInRegion(region: string): boolean {
    return PARTITIONS.aws.optIn.includes(region);
}

/**
 * Regions that have a section in "List of AWS Config Managed Rules by Region Availability" (AWS Config developer
 * guide, docs.aws.amazon.com/config/latest/developerguide/managing-rules-by-region-availability.html, read
 * 2026-11-30): where AWS Config offers managed rules at all. A region missing here (for example one launched
 * after that page was read) is treated as offering none: rootguard refuses to plan rules it cannot confirm.
 */
export const CONFIG_MANAGED_RULE_REGIONS: readonly string[] = [
    "us-east-2",
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-4",
    "ap-south-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-east-2",
    "ap-southeast-7",
    "ap-northeast-1",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-south-1",
    "eu-west-3",
    "eu-south-2",
    "eu-north-1",
    "eu-central-2",
    "il-central-1",
    "mx-central-1",
    "me-south-1",
    "me-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
];

export interface ManagedRuleRegions {
    /** The rule's page in the AWS Config developer guide. */
    page: string;
    /** "AWS Region: All supported AWS regions except …" on the newest version of the page found. */
    unsupported: readonly string[];
    /**
     * Regions the page version found predates (they launched after it was written), so it neither lists nor
     * excludes them. rootguard does not plan the rule there until AWS's page confirms it.
     */
    unconfirmed: readonly string[];
}

/**
 * Region availability of the managed rules rootguard deploys. Sources (read 2026-11-30 with the search tool):
 * - IAM_ROOT_ACCESS_KEY_CHECK: the current page text ("… except Asia Pacific (Thailand), Middle East (UAE), Asia
 *   Pacific (Malaysia), Mexico (Central), Israel (Tel Aviv), Asia Pacific (Taipei), Canada West (Calgary), Europe
 *   (Spain), Europe (Zurich) Region"). The seed on main lacked Asia Pacific (Taipei).
 * - ROOT_ACCOUNT_MFA_ENABLED: the newest page version found lists "China (Beijing), Middle East (UAE), Asia Pacific
 *   (Malaysia), AWS GovCloud (US-East), AWS GovCloud (US-West), Israel (Tel Aviv), Canada West (Calgary), China
 *   (Ningxia)"; it predates Thailand, Mexico (Central) and Taipei, which every global-IAM rule page of the newer
 *   version (iam-root-access-key-check, iam-user-mfa-enabled, access-keys-rotated) excludes.
 * - ROOT_ACCOUNT_HARDWARE_MFA_ENABLED: the newest page text found lists "China (Beijing), China (Ningxia), AWS
 *   GovCloud (US-East), AWS GovCloud (US-West)"; it predates every region launched since August 2022.
 */
export const MANAGED_RULE_REGIONS: Record<string, ManagedRuleRegions> = {
    IAM_ROOT_ACCESS_KEY_CHECK: {
        page: "https://docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html",
        unsupported: [
            "ap-southeast-7",
            "me-central-1",
            "ap-southeast-5",
            "mx-central-1",
            "il-central-1",
            "ap-east-2",
            "ca-west-1",
            "eu-south-2",
            "eu-central-2",
        ],
        unconfirmed: [],
    },
    ROOT_ACCOUNT_MFA_ENABLED: {
        page: "https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html",
        unsupported: [
            "cn-north-1",
            "me-central-1",
            "ap-southeast-5",
            "us-gov-east-1",
            "us-gov-west-1",
            "il-central-1",
            "ca-west-1",
            "cn-northwest-1",
        ],
        unconfirmed: ["ap-southeast-7", "mx-central-1", "ap-east-2"],
    },
    ROOT_ACCOUNT_HARDWARE_MFA_ENABLED: {
        page: "https://docs.aws.amazon.com/config/latest/developerguide/root-account-hardware-mfa-enabled.html",
        unsupported: ["cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1"],
        unconfirmed: [
            "me-central-1",
            "eu-central-2",
            "eu-south-2",
            "ap-south-2",
            "ap-southeast-4",
            "il-central-1",
            "ca-west-1",
            "ap-southeast-5",
            "ap-southeast-7",
            "mx-central-1",
            "ap-east-2",
        ],
    },
};

/** Every region where each rule is not planned: documented exceptions and unconfirmed regions. */
export const MANAGED_RULE_UNSUPPORTED_REGIONS: Record<string, readonly string[]> = Object.fromEntries(
    Object.entries(MANAGED_RULE_REGIONS).map(([id, r]) => [id, [...r.unsupported, ...r.unconfirmed]]),
);

/**
 * Whether AWS Config offers the managed rule `identifier` (e.g. IAM_ROOT_ACCESS_KEY_CHECK) in `region`, as far as
 * AWS's pages confirm: false in regions without managed rules, in the rule's documented exceptions, and in
 * regions its page does not cover yet. A rule rootguard has no data for is taken to be offered wherever
 * Config offers managed rules.
 */
export function isManagedRuleOffered(identifier: string, region: string): boolean {
    return CONFIG_MANAGED_RULE_REGIONS.includes(region) && !(MANAGED_RULE_UNSUPPORTED_REGIONS[identifier] ?? []).includes(region);
}

/** Why `identifier` is not offered in `region` (one sentence), or undefined where it is. */
export function managedRuleUnavailableReason(identifier: string, region: string): string | undefined {
    if (isManagedRuleOffered(identifier, region)) return undefined;
    const facts = MANAGED_RULE_REGIONS[identifier];
    if (!CONFIG_MANAGED_RULE_REGIONS.includes(region)) {
        return `AWS Config lists no managed rules for ${region} ("List of AWS Config Managed Rules by Region Availability")`;
    }
    if (facts?.unconfirmed.includes(region)) {
        return `${identifier}'s page (${facts.page}) does not yet confirm ${region}`;
    }
    return `${identifier} is not offered in ${region} (${facts?.page ?? "AWS Config developer guide"})`;
}

/** Regions of `partition` where every one of `identifiers` is offered, in PARTITIONS order. */
export function regionsOfferingAll(identifiers: readonly string[], partition: Partition): string[] {
    const facts = PARTITIONS[partition];
    return [...facts.defaultEnabled, ...facts.optIn].filter((r) => identifiers.every((id) => isManagedRuleOffered(id, r)));
}
