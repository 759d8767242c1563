import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { IAMClient } from "@aws-sdk/client-iam";
import { quietSdkNodeVersionWarning } from "../../src/core/sdk-warnings";
import {
    activityRegions,
    defaultEnabledRegions,
    isKnownRegion,
    Partition,
    partitionOf,
    PARTITIONS,
    REGION_PATTERN,
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
