import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { IAMClient } from "@aws-sdk/client-iam";
import { quietSdkNodeVersionWarning } from "../../src/core/sdk-warnings";
import {
    activityRegions,
    CONFIG_MANAGED_RULE_REGIONS,
    defaultEnabledRegions,
    isKnownRegion,
    isManagedRuleOffered,
    MANAGED_RULE_REGIONS,
    MANAGED_RULE_UNSUPPORTED_REGIONS,
    managedRuleUnavailableReason,
    Partition,
    partitionOf,
    PARTITIONS,
    REGION_PATTERN,
    regionsOfferingAll,
} from "../../src/core/regions";

/** The AWS SDK's own endpoint partition data, as installed (source of truth for which regions exist). */
function sdkPartitions(): Record<string, string[]> {
    const file = require
        .resolve("@aws-sdk/core")
        .replace(/dist-cjs\/index\.js$/, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
    const text = readFileSync(file, "utf8");
    const data = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as {
        partitions: { id: string; regions: Record<string, unknown> }[];
    };
    return Object.fromEntries(data.partitions.map((p) => [p.id, Object.keys(p.regions).filter((r) => !r.startsWith("aws-"))]));
}

quietSdkNodeVersionWarning();

describe("core: regions", () => {
    it("lists exactly the regions the AWS SDK's partition data has, for each supported partition", () => {
        const sdk = sdkPartitions();
        for (const [id, facts] of Object.entries(PARTITIONS)) {
            assert.deepEqual([...facts.defaultEnabled, ...facts.optIn].sort(), [...sdk[id]].sort(), id);
        }
    });

    it("knows the partition of a region and nothing of made-up ones", () => {
        assert.equal(partitionOf("eu-west-1"), "aws");
        assert.equal(partitionOf("cn-northwest-1"), "aws-cn");
        assert.equal(partitionOf("us-gov-east-1"), "aws-us-gov");
        assert.equal(partitionOf("foo"), undefined);
        assert.equal(isKnownRegion("eu-west-9"), false);
        assert.ok(REGION_PATTERN.test("eu-west-9") && !REGION_PATTERN.test("foo"));
    });

    it("default-enabled regions are the 17 commercial regions that predate opt-in, and the global-events region is one of them", () => {
        assert.equal(defaultEnabledRegions("aws").length, 17);
        for (const [, facts] of Object.entries(PARTITIONS)) assert.ok(facts.defaultEnabled.includes(facts.globalEventsRegion));
    });

    it("each partition's global-events region is where the AWS SDK signs that partition's global IAM endpoint", async () => {
        // IAM is a global service; CloudTrail records its calls (and root sign-ins) in the region its endpoint is
        // signed for: the SDK's endpoint rules are AWS's own data for that region, per partition.
        for (const [partition, facts] of Object.entries(PARTITIONS) as [Partition, (typeof PARTITIONS)[Partition]][]) {
            for (const region of facts.defaultEnabled) {
                const client = new IAMClient({ region });
                const endpoint = await client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
                const schemes = endpoint.properties?.authSchemes as { signingRegion?: string }[] | undefined;
                assert.equal(schemes?.[0]?.signingRegion, facts.globalEventsRegion, `${partition} ${region}`);
                client.destroy();
            }
        }
    });

    it("activityRegions: the partition's default regions unless listed, always with the global-events and stack regions", () => {
        assert.deepEqual(activityRegions("eu-west-1"), [...defaultEnabledRegions("aws")]);
        assert.deepEqual(activityRegions("cn-northwest-1"), ["cn-north-1", "cn-northwest-1"]);
        assert.deepEqual(activityRegions("us-gov-east-1", ["us-gov-east-1"]), ["us-gov-west-1", "us-gov-east-1"]);
        // An opt-in stack region is watched even though no default list has it.
        assert.deepEqual(activityRegions("eu-south-1", ["eu-west-1"]), ["us-east-1", "eu-west-1", "eu-south-1"]);
        assert.throws(() => activityRegions("eu-west-1", ["cn-north-1"]), /partition aws-cn/);
        assert.throws(() => activityRegions("eu-west-1", ["eu-west-9"]), /unknown AWS region eu-west-9/);
        assert.throws(() => activityRegions("xx-nowhere-1"), /unknown AWS region/);
    });
});

describe("core: managed rule availability (AWS Config developer guide, read 2026-11-30)", () => {
    const RULES = ["IAM_ROOT_ACCESS_KEY_CHECK", "ROOT_ACCOUNT_MFA_ENABLED", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"];

    it("covers all three root-credential rules, with regions that exist", () => {
        assert.deepEqual(Object.keys(MANAGED_RULE_REGIONS).sort(), [...RULES].sort());
        for (const region of CONFIG_MANAGED_RULE_REGIONS) assert.ok(isKnownRegion(region), region);
        for (const [id, facts] of Object.entries(MANAGED_RULE_REGIONS)) {
            for (const region of [...facts.unsupported, ...facts.unconfirmed]) {
                assert.ok(CONFIG_MANAGED_RULE_REGIONS.includes(region), `${id}: ${region} is not a Config region`);
            }
            assert.match(facts.page, /^https:\/\/docs\.aws\.amazon\.com\/config\/latest\/developerguide\/[a-z-]+\.html$/);
        }
    });

    it("holds the pages' exception lists, Asia Pacific (Taipei) included for the access key rule", () => {
        // "All supported AWS regions except Asia Pacific (Thailand), Middle East (UAE), Asia Pacific (Malaysia),
        // Mexico (Central), Israel (Tel Aviv), Asia Pacific (Taipei), Canada West (Calgary), Europe (Spain), Europe (Zurich)"
        assert.deepEqual([...MANAGED_RULE_UNSUPPORTED_REGIONS.IAM_ROOT_ACCESS_KEY_CHECK].sort(), [
            "ap-east-2",
            "ap-southeast-5",
            "ap-southeast-7",
            "ca-west-1",
            "eu-central-2",
            "eu-south-2",
            "il-central-1",
            "me-central-1",
            "mx-central-1",
        ]);
        for (const region of ["cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1"]) {
            assert.equal(isManagedRuleOffered("IAM_ROOT_ACCESS_KEY_CHECK", region), true, region);
            assert.equal(isManagedRuleOffered("ROOT_ACCOUNT_MFA_ENABLED", region), false, region);
            assert.equal(isManagedRuleOffered("ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", region), false, region);
        }
        assert.equal(isManagedRuleOffered("ROOT_ACCOUNT_MFA_ENABLED", "ap-southeast-5"), false, "Asia Pacific (Malaysia)");
    });

    it("offers every rule in the regions every account has, and none where Config lists no managed rules", () => {
        for (const id of RULES) {
            for (const region of defaultEnabledRegions("aws")) assert.equal(isManagedRuleOffered(id, region), true, `${id} ${region}`);
        }
        const newerThanTheList = [...PARTITIONS.aws.optIn].filter((r) => !CONFIG_MANAGED_RULE_REGIONS.includes(r));
        assert.ok(newerThanTheList.length > 0, "the SDK knows regions the Config list does not (e.g. ap-southeast-6)");
        for (const region of [...newerThanTheList, "eu-west-9"]) {
            for (const id of RULES) assert.equal(isManagedRuleOffered(id, region), false, `${id} ${region}`);
            assert.match(managedRuleUnavailableReason(RULES[0], region) ?? "", /AWS Config lists no managed rules for/);
        }
        assert.match(managedRuleUnavailableReason("ROOT_ACCOUNT_MFA_ENABLED", "mx-central-1") ?? "", /does not yet confirm mx-central-1/);
        assert.equal(managedRuleUnavailableReason("IAM_ROOT_ACCESS_KEY_CHECK", "eu-west-1"), undefined);
    });

    it("suggests regions of the same partition that offer the rules", () => {
        assert.deepEqual(regionsOfferingAll(["IAM_ROOT_ACCESS_KEY_CHECK"], "aws-us-gov"), ["us-gov-west-1", "us-gov-east-1"]);
        assert.deepEqual(regionsOfferingAll(["IAM_ROOT_ACCESS_KEY_CHECK", "ROOT_ACCOUNT_MFA_ENABLED"], "aws-cn"), []);
        assert.ok(regionsOfferingAll(RULES, "aws").includes("us-east-1"));
    });
});
