/**
 * The policy and configuration tables in docs/ are generated from the code (`npm run docs`); this fails when a
 * page drifts from the code, and holds the generator to its promises: idempotent, hand-written text untouched,
 * a missing or stale region named with its fix. The example config file in docs/policies.md must also be
 * valid against the policies' own schemas.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { allPolicies } from "../../policies/all";
import { main, renderDocs, REPO_ROOT } from "../../scripts/docs";
import { STACK_CONFIG_ARGS_FILE } from "../../scripts/docs/component-args";
import { applyRegions, beginMarker, endMarker, regionIds, type Region } from "../../scripts/docs/regions";
import { docRegions, policyConfig, schemaType, stackConfig } from "../../scripts/docs/tables";
import { CONFIG_KEYS } from "../../stacks/config";

const region = (id: string, content: string): Region => ({ file: "page.md", id, source: "the test", content });

describe("docs: generated tables", () => {
    it("docs/policies.md and docs/stacks.md hold exactly what `npm run docs` generates from the code", () => {
        for (const page of renderDocs()) assert.equal(page.current, page.generated, `${page.file} is out of date: run \`npm run docs\``);
    });

    it("lists every policy and every config key of each, and every stack configuration key", () => {
        const regions = docRegions();
        const policies = regions.find((r) => r.id === "policies/summary")!.content;
        const config = regions.find((r) => r.id === "policies/config")!.content;
        for (const p of allPolicies) {
            assert.match(policies, new RegExp(`^\\| \`${p.name}\` \\| ${p.enforcementLevel} \\|`, "m"), p.name);
            for (const key of Object.keys(p.configSchema?.properties ?? {})) {
                assert.match(config, new RegExp(`^\\| \`${p.name}\` \\| \`${key}\` \\|`, "m"), `${p.name}.${key}`);
            }
        }
        const stack = regions.find((r) => r.id === "stacks/config")!.content;
        for (const key of Object.keys(CONFIG_KEYS)) assert.match(stack, new RegExp(`^\\| \`rootguard:${key}\` \\|`, "m"), key);
    });

    it("drifts as soon as the code changes: a new key, a changed default", () => {
        const [stacks] = renderDocs(REPO_ROOT, docRegions().filter((r) => r.file === "docs/stacks.md"));
        const withKey = { ...CONFIG_KEYS, trailName: { type: "string", default: "", description: "A new key." } };
        const changed = applyRegions(stacks.current, stacks.file, [{ ...docRegions().find((r) => r.id === "stacks/config")!, content: stackConfig(withKey) }]);
        assert.notEqual(changed, stacks.current);
        assert.match(changed, /^\| `rootguard:trailName` \| string \| `""` \| A new key\. \|$/m);
        const policies = allPolicies.map((p) =>
            p.name === "restrict-assume-root"
                ? { ...p, configSchema: { properties: { includeFullWildcard: { type: "boolean" as const, default: true, description: "d" } } } }
                : p,
        );
        assert.match(policyConfig(policies), /^\| `restrict-assume-root` \| `includeFullWildcard` \| boolean \| `true` \| d \|$/m);
    });

    it("renders schema types as a reader thinks of them", () => {
        assert.equal(schemaType({ type: "string", enum: ["pass", "advisory"] } as never), "`pass` | `advisory`");
        assert.equal(schemaType({ type: "integer", minimum: 1, maximum: 600000 } as never), "integer 1–600000");
        assert.equal(schemaType({ type: "integer", minimum: 0 } as never), "integer ≥ 0");
        assert.equal(schemaType({ type: "array", items: { type: "string", pattern: "^\\d{12}$" } } as never), "list of strings (`^\\d{12}$`)");
        assert.equal(schemaType({ type: "boolean" } as never), "boolean");
        assert.match(stackConfig({ days: { type: "integer", default: 45, description: "x", minimum: 1, maximum: 3650 } }), /\| `rootguard:days` \| integer 1–3650 \| `45` \|/);
        assert.match(stackConfig({ must: { type: "boolean", default: undefined, description: "y" } }), /\| `rootguard:must` \| boolean \| — \(required\) \|/);
    });
});

describe("docs: generated regions", () => {
    const page = ["# Title", "", "Hand-written | text.", beginMarker({ id: "a", source: "x" }), "old", "rows", endMarker("a"), "", "More prose.", ""].join("\n");

    it("replaces only what lies between the markers, and a second run changes nothing", () => {
        const once = applyRegions(page, "page.md", [region("a", "| new |\n")]);
        assert.equal(once, ["# Title", "", "Hand-written | text.", beginMarker({ id: "a", source: "the test" }), "| new |", endMarker("a"), "", "More prose.", ""].join("\n"));
        assert.equal(applyRegions(once, "page.md", [region("a", "| new |\n")]), once);
    });

    it("accepts bare markers where a new table should go", () => {
        const bare = "intro\n<!-- BEGIN GENERATED b -->\n<!-- END GENERATED b -->\n";
        assert.equal(applyRegions(bare, "page.md", [region("b", "t")]), `intro\n${beginMarker({ id: "b", source: "the test" })}\nt\n${endMarker("b")}\n`);
    });

    it("names the fix for a missing region, a stale one, and unbalanced markers", () => {
        assert.throws(
            () => applyRegions(page, "page.md", [region("a", "x"), region("new/table", "y")]),
            /page\.md has no place for new\/table: add the lines "<!-- BEGIN GENERATED new\/table -->" and "<!-- END GENERATED new\/table -->"/,
        );
        assert.throws(() => applyRegions(page, "page.md", []), /page\.md marks a as generated, but nothing generates it: remove those markers/);
        assert.throws(() => regionIds(`${beginMarker({ id: "a", source: "x" })}\n`, "p.md"), /p\.md: region a has no END GENERATED a/);
        assert.throws(() => regionIds(`${endMarker("a")}\n`, "p.md"), /p\.md:1: END GENERATED a without its BEGIN/);
        assert.throws(
            () => regionIds(`${beginMarker({ id: "a", source: "x" })}\n${beginMarker({ id: "b", source: "x" })}\n`, "p.md"),
            /p\.md:2: region b begins inside region a/,
        );
    });

    it("`npm run docs -- --check` fails on a stale page without writing; `npm run docs` rewrites it", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-docs-"));
        fs.mkdirSync(path.join(root, "docs"));
        fs.mkdirSync(path.join(root, "stacks/components"), { recursive: true });
        for (const file of ["docs/policies.md", "docs/stacks.md", STACK_CONFIG_ARGS_FILE])
            fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
        const stale = fs.readFileSync(path.join(root, "docs/stacks.md"), "utf8").replace("| `rootguard:mode` |", "| `rootguard:modus` |");
        fs.writeFileSync(path.join(root, "docs/stacks.md"), stale);
        const stderr = process.stderr.write;
        const stdout = process.stdout.write;
        const said: string[] = [];
        process.stderr.write = process.stdout.write = ((s: string) => said.push(s)) as never;
        try {
            assert.equal(main(["--check"], root), 1);
            assert.equal(fs.readFileSync(path.join(root, "docs/stacks.md"), "utf8"), stale);
            assert.equal(main([], root), 0);
            assert.equal(main(["--check"], root), 0);
            assert.equal(main(["--fix"], root), 2);
        } finally {
            process.stderr.write = stderr;
            process.stdout.write = stdout;
        }
        assert.equal(fs.readFileSync(path.join(root, "docs/stacks.md"), "utf8"), fs.readFileSync(path.join(REPO_ROOT, "docs/stacks.md"), "utf8"));
        assert.deepEqual(said, [
            "docs: docs/stacks.md is out of date with the code: run `npm run docs`\n",
            "docs: rewrote docs/stacks.md\n",
            "docs: unknown argument --fix; usage: npm run docs [-- --check]\n",
        ]);
    });
});

describe("docs: the example policy-pack config file", () => {
    it("is valid against every named policy's config schema", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/policies.md"), "utf8");
        const block = /## Example policy-pack config file\n\n```json\n([\s\S]*?)\n```/.exec(doc);
        assert.ok(block, "docs/policies.md has an example config block");
        const example = JSON.parse(block[1]) as Record<string, unknown>;
        const ajv = new Ajv({ strict: false });
        const levels = ["advisory", "mandatory", "disabled", "remediate"];
        for (const [name, value] of Object.entries(example)) {
            const policy = allPolicies.find((p) => p.name === name);
            assert.ok(policy, `the example names a policy the pack does not have: ${name}`);
            if (typeof value === "string") {
                assert.ok(levels.includes(value), `${name}: ${value}`);
                continue;
            }
            const schema = {
                type: "object",
                properties: { ...policy.configSchema?.properties, enforcementLevel: { enum: levels } },
                additionalProperties: false,
            };
            const validate = ajv.compile(schema);
            assert.ok(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`);
        }
    });
});
