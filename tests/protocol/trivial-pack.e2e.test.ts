/**
 * The engine client against the one-policy fixture pack: every Analyzer call the engine makes, the CLI's
 * config handling, and what travels on the wire.
 */
import * as assert from "node:assert/strict";
import { startPack, type PackClient, type ResourceInput } from "../../src/engine";
import { TRIVIAL_PACK } from "./helpers";

function bucket(name: string, properties: Record<string, unknown>, extra: Partial<ResourceInput> = {}): ResourceInput {
    return { urn: `urn:pulumi:dev::proj::aws:s3/bucket:Bucket::${name}`, type: "aws:s3/bucket:Bucket", name, properties, ...extra };
}

describe("protocol: trivial fixture pack", function () {
    this.timeout(60_000);
    let pack: PackClient;

    before(async () => {
        pack = await startPack(TRIVIAL_PACK);
    });
    after(async () => {
        await pack?.close();
    });

    it("reads the port run-policy-pack prints", () => {
        assert.ok(Number.isInteger(pack.port) && pack.port > 0 && pack.port < 65536);
    });

    it("GetAnalyzerInfo lists the pack, its version from package.json, and each policy with level and schema", async () => {
        const info = await pack.info();
        assert.equal(info.name, "trivial-pack");
        assert.equal(info.version, "0.0.1");
        assert.deepEqual(
            info.policies.map((p) => [p.name, p.enforcementLevel]),
            [
                ["no-forbidden-tag", "mandatory"],
                ["stack-has-resources", "advisory"],
            ],
        );
        assert.deepEqual(info.policies[0].configSchema?.properties?.maxTags, { type: "integer", minimum: 0, default: 50 });
        assert.equal(info.policies[1].configSchema, undefined);
    });

    it("Configure fills schema defaults for every policy, as the CLI does", async () => {
        const effective = await pack.configure();
        assert.deepEqual(effective, {
            "no-forbidden-tag": { enforcementLevel: "mandatory", tagName: "forbidden", maxTags: 50 },
            "stack-has-resources": { enforcementLevel: "advisory" },
        });
    });

    it("Configure merges a bare level and {enforcementLevel, ...props} over the defaults, and the pack uses them", async () => {
        const effective = await pack.configure({
            "no-forbidden-tag": { enforcementLevel: "advisory", tagName: "legacy" },
            "stack-has-resources": "disabled",
        });
        assert.deepEqual(effective["no-forbidden-tag"], { enforcementLevel: "advisory", tagName: "legacy", maxTags: 50 });
        assert.deepEqual(effective["stack-has-resources"], { enforcementLevel: "disabled" });
        const ds = await pack.analyze(bucket("b1", { tags: { legacy: "x", forbidden: "y" } }));
        assert.deepEqual(
            ds.map((d) => [d.policyName, d.enforcementLevel, d.message.split("\n")[1]]),
            [["no-forbidden-tag", "advisory", 'tag "legacy" is set on b1']],
        );
        assert.deepEqual(await pack.analyzeStack([]), [], "a disabled stack policy must not run");
    });

    it('Configure applies "all" to every policy before per-policy levels', async () => {
        const effective = await pack.configure({ all: "advisory", "stack-has-resources": "mandatory" });
        assert.equal(effective["no-forbidden-tag"].enforcementLevel, "advisory");
        assert.equal(effective["stack-has-resources"].enforcementLevel, "mandatory");
    });

    it("Configure rejects unknown policy names, naming them", async () => {
        await assert.rejects(pack.configure({ "no-forbiden-tag": "advisory", other: "disabled" }), (err: Error) => {
            assert.match(err.message, /"no-forbiden-tag", "other"/);
            assert.match(err.message, /known: no-forbidden-tag, stack-has-resources/);
            assert.doesNotMatch(err.message, /\n/);
            return true;
        });
    });

    it("Configure rejects an invalid value, naming the policy and the key", async () => {
        await assert.rejects(pack.configure({ "no-forbidden-tag": { maxTags: -1 } }), /"no-forbidden-tag".*"maxTags" must be >= 0/);
        await assert.rejects(pack.configure({ "no-forbidden-tag": { tagName: 7 } }), /"no-forbidden-tag".*"tagName" must be string/);
        await assert.rejects(pack.configure({ "no-forbidden-tag": "strict" as never }), /"no-forbidden-tag".*"strict" is not one of/);
        await assert.rejects(
            pack.configure({ "no-forbidden-tag": 3 as never }),
            /"no-forbidden-tag" must be an enforcement level or an object/,
        );
    });

    describe("with defaults configured", () => {
        before(async () => {
            await pack.configure();
        });

        it("Analyze returns the violation, attributed to the analyzed resource", async () => {
            const r = bucket("leaky", { tags: { forbidden: "yes" } });
            const ds = await pack.analyze(r);
            assert.equal(ds.length, 1);
            assert.deepEqual(ds[0], {
                policyName: "no-forbidden-tag",
                policyPackName: "trivial-pack",
                policyPackVersion: "0.0.1",
                description: "Resources must not carry the forbidden tag.",
                message: 'Resources must not carry the forbidden tag.\ntag "forbidden" is set on leaky',
                enforcementLevel: "mandatory",
                urn: r.urn,
            });
        });

        it("Analyze of a clean resource returns nothing", async () => {
            assert.deepEqual(await pack.analyze(bucket("clean", { tags: { team: "a" } })), []);
        });

        it("Analyze sends the provider so resource policies can read its config", async () => {
            const provider = {
                type: "pulumi:providers:aws",
                urn: "urn:pulumi:dev::proj::pulumi:providers:aws::eu",
                name: "eu",
                properties: { region: "forbidden-1" },
            };
            const ds = await pack.analyze(bucket("b2", {}, { provider }));
            assert.deepEqual(
                ds.map((d) => d.message.split("\n")[1]),
                ["b2 uses provider eu in forbidden-1"],
            );
        });

        it("AnalyzeStack sees every resource with its provider, and keeps stack-level violations without a urn", async () => {
            const provider = { type: "pulumi:providers:aws", urn: "urn:p", name: "p", properties: { region: "forbidden-1" } };
            const r = bucket("s1", {}, { provider });
            const ds = await pack.analyzeStack([r, bucket("s2", {})]);
            assert.deepEqual(
                ds.map((d) => [d.policyName, d.enforcementLevel, d.urn]),
                [["stack-has-resources", "advisory", r.urn]],
            );
            const empty = await pack.analyzeStack([]);
            assert.equal(empty.length, 1);
            assert.equal(empty[0].urn, undefined);
        });

        it("ConfigureStack delivers stack tags to policies", async () => {
            await pack.configureStack({ stack: "dev", project: "proj", tags: { "trivial:echo": "hello" } });
            try {
                const ds = await pack.analyzeStack([bucket("t", {})]);
                assert.deepEqual(
                    ds.map((d) => d.message.split("\n")[1]),
                    ["stack tag trivial:echo is hello"],
                );
            } finally {
                await pack.configureStack({ stack: "dev", project: "proj" });
            }
            assert.deepEqual(await pack.analyzeStack([bucket("t", {})]), []);
        });

        it("sends nested values, null, numbers and booleans intact and drops undefined like JSON", async () => {
            const tags: Record<string, unknown> = { a: null, b: 1.5, c: true, d: [1, "x", { e: undefined }], f: undefined };
            for (let i = 0; i < 46; i++) tags[`t${i}`] = i;
            // 50 defined keys is exactly maxTags; an undefined `f` sent as null would make 51.
            assert.deepEqual(await pack.analyze(bucket("many", { tags })), []);
            tags.g = "one more";
            assert.deepEqual(
                (await pack.analyze(bucket("many", { tags }))).map((d) => d.message.split("\n")[1]),
                ["many has more than 50 tags"],
            );
        });

        it("refuses a cyclic property tree with the resource and the path, without calling the pack", async () => {
            const loop: Record<string, unknown> = { name: "x" };
            loop.self = { inner: loop };
            await assert.rejects(
                pack.analyze(bucket("cyclic", { tags: loop })),
                /cannot send urn:.*::cyclic to the policy pack: property tags\.self\.inner: cyclic value/,
            );
        });

        it("carries a 200-level nest and a 10 MB string", async () => {
            let deep: Record<string, unknown> = { leaf: true };
            for (let i = 0; i < 200; i++) deep = { next: deep };
            assert.deepEqual(await pack.analyze(bucket("deep", { body: deep, template: "x".repeat(10 * 1024 * 1024) })), []);
        });

        it("answers concurrent Analyze calls each with its own resource", async () => {
            const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
            const results = await Promise.all(names.map((n, i) => pack.analyze(bucket(n, { tags: i % 2 ? { forbidden: 1 } : {} }))));
            results.forEach((ds, i) => assert.equal(ds.length, i % 2, names[i]));
            results.filter((ds) => ds.length).forEach((ds) => assert.match(ds[0].urn ?? "", /::c\d+$/));
        });
    });
});
