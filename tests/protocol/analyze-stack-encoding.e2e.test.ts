/**
 * AnalyzeStack is encoded one resource at a time (src/engine/analyzer-client.ts) rather than as one message
 * tree: every resource must still arrive whole, with its provider, whatever its size.
 */
import * as assert from "node:assert/strict";
import { startPack, type PackClient, type ResourceInput } from "../../src/engine";
import { TRIVIAL_PACK } from "./helpers";

describe("protocol: AnalyzeStack encoded resource by resource", function () {
    this.timeout(60_000);
    let pack: PackClient;

    before(async () => {
        pack = await startPack(TRIVIAL_PACK);
        await pack.configure();
    });
    after(async () => {
        await pack?.close();
    });

    it("delivers hundreds of resources, small and large, each with its provider", async () => {
        const provider = (region: string) => ({
            type: "pulumi:providers:aws",
            urn: `urn:p:${region}`,
            name: region,
            properties: { region },
        });
        const resources: ResourceInput[] = Array.from({ length: 300 }, (_, i) => ({
            urn: `urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b${i}`,
            type: "aws:s3/bucket:Bucket",
            name: `b${i}`,
            // Sizes whose length prefixes take one, two and three bytes.
            properties: { body: "x".repeat([10, 300, 200_000][i % 3]), nested: { list: [i, { deep: true }] } },
            parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
            dependencies: [`urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b${Math.max(0, i - 1)}`],
            provider: provider(i % 7 === 0 ? "forbidden-1" : "eu-west-1"),
        }));
        const ds = await pack.analyzeStack(resources);
        assert.deepEqual(
            ds.map((d) => d.urn),
            resources.filter((_, i) => i % 7 === 0).map((r) => r.urn),
        );
    });
});
