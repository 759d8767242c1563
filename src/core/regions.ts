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
 * Regions where AWS Config does not offer a managed rule, from each rule's page in the AWS Config developer
 * guide ("AWS Region: All supported AWS regions except …") and "List of AWS Config Managed Rules by Region
 * Availability". A rule not listed here is taken to be offered wherever Config is.
 */
export const MANAGED_RULE_UNSUPPORTED_REGIONS: Record<string, readonly string[]> = {
    // docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html
    IAM_ROOT_ACCESS_KEY_CHECK: [
        "ap-southeast-7",
        "me-central-1",
        "ap-southeast-5",
        "mx-central-1",
        "il-central-1",
        "ca-west-1",
        "eu-south-2",
        "eu-central-2",
    ],
    // docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html
    ROOT_ACCOUNT_MFA_ENABLED: [
        "cn-north-1",
        "cn-northwest-1",
        "me-central-1",
        "us-gov-east-1",
        "us-gov-west-1",
        "il-central-1",
        "ca-west-1",
    ],
};

/** Whether AWS Config offers the managed rule `identifier` (e.g. IAM_ROOT_ACCESS_KEY_CHECK) in `region`. */
export function isManagedRuleOffered(identifier: string, region: string): boolean {
    return !(MANAGED_RULE_UNSUPPORTED_REGIONS[identifier] ?? []).includes(region);
}
