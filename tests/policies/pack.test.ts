/** The pack's public surface: policy names, levels and config schemas are what users write in config files. */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { allPolicies } from "../../policies/all";

const EXPECTED: Record<string, string> = {
    "no-hardcoded-aws-credentials": "mandatory",
    "aws-provider-static-credentials": "mandatory",
    "no-root-credentials": "mandatory",
    "no-root-access-key-resource": "mandatory",
    "restrict-assume-root": "mandatory",
    "root-key-check-coverage": "mandatory",
    "scp-root-deny-exempts-assume-root": "advisory",
};

describe("policy pack surface", () => {
    it("serves the seven policies with their default levels", () => {
        assert.deepEqual(Object.fromEntries(allPolicies.map((p) => [p.name, p.enforcementLevel])), EXPECTED);
    });

    it("gives every policy a description and a config schema whose every property has a default", () => {
        for (const p of allPolicies) {
            assert.ok(p.description.length > 20, p.name);
            assert.ok(p.configSchema, p.name);
            for (const [key, schema] of Object.entries(p.configSchema.properties)) {
                assert.ok(typeof schema === "object" && "default" in schema, `${p.name}.${key} has a default`);
                assert.ok(typeof schema === "object" && schema.description, `${p.name}.${key} has a description`);
            }
        }
    });

    it("documents every policy and config key in docs/policies.md", () => {
        const doc = readFileSync(`${__dirname}/../../docs/policies.md`, "utf8");
        for (const p of allPolicies) {
            assert.ok(doc.includes(p.name), p.name);
            for (const key of Object.keys(p.configSchema?.properties ?? {})) assert.ok(doc.includes(key), `${p.name}.${key}`);
        }
    });

    it("keeps heavy SDKs out of the pack's start-up path", () => {
        const dir = `${__dirname}/../../policies`;
        const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
        for (const file of ["index.ts", "all.ts", "guard.ts"]) assert.ok(files.includes(file), file);
        for (const file of files) {
            const src = readFileSync(`${dir}/${file}`, "utf8");
            assert.doesNotMatch(src, /^import (?!type)[^;]*from "@pulumi\/aws(-native)?"/m, file);
            assert.doesNotMatch(src, /^import (?!type)[^;]*from "@aws-sdk\//m, file);
        }
    });
});
