import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { defaultEnabledRegions, isKnownRegion, partitionOf, PARTITIONS, REGION_PATTERN } from "../../src/core/regions";

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
});
