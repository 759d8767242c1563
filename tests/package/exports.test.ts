/**
 * The package's public entry points, as package.json declares them: each `exports` subpath has its types for
 * node16/nodenext and the same types through `typesVersions` for `moduleResolution: node` (Pulumi's templates),
 * and points at the compiled form of a source that exists and starts nothing (`main` is index.ts, which starts
 * the pack or serves the component package depending on the launcher).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

type Entry = { types: string; default: string };

const entries = Object.entries<Entry | string>(manifest.exports).filter((e): e is [string, Entry] => typeof e[1] !== "string");

describe("package.json library surface", () => {
    it("main is index.ts's dispatcher: the pack for `pulumi preview --policy-pack`, the components for run-plugin", () => {
        assert.equal(manifest.main, "dist/index.js");
        assert.ok(!("." in manifest.exports), "a bare import of rootguard must not start the pack");
        for (const [, e] of entries) assert.notEqual(e.default.replace(/^\.\//, ""), manifest.main);
        // What index.ts loads under each launcher; tests/protocol starts the pack through it, and
        // tests/package/component-provider.e2e.test.ts the component provider.
        const dispatcher = fs.readFileSync(path.join(REPO_ROOT, "index.ts"), "utf8");
        assert.match(dispatcher, /require\("\.\/policies\/index"\)/);
        assert.match(dispatcher, /require\("\.\/stacks\/package"\)/);
        assert.ok(manifest.files.includes("PulumiPlugin.yaml") && manifest.files.includes("index.ts"));
    });

    it("exports components, config, core and policies, each with its declarations, from a source that exists", () => {
        assert.deepEqual(
            entries.map(([subpath]) => subpath),
            ["./components", "./config", "./core", "./policies"],
        );
        for (const [subpath, e] of entries) {
            assert.match(e.default, /^\.\/dist\/.+\.js$/, subpath);
            assert.equal(e.types, e.default.replace(/\.js$/, ".d.ts"), subpath);
            const source = e.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
            assert.ok(fs.existsSync(path.join(REPO_ROOT, source)), `${subpath} → ${source}`);
            assert.doesNotMatch(fs.readFileSync(path.join(REPO_ROOT, source), "utf8"), /new PolicyPack\(/, `${subpath} starts a pack`);
        }
        assert.equal(manifest.exports["./package.json"], "./package.json");
    });

    it("gives moduleResolution node the same types through typesVersions", () => {
        const mapped = manifest.typesVersions["*"] as Record<string, string[]>;
        assert.deepEqual(
            Object.fromEntries(Object.entries(mapped).map(([k, v]) => [`./${k}`, `./${v[0]}`])),
            Object.fromEntries(entries.map(([subpath, e]) => [subpath, e.types])),
        );
    });

    it("ships what the entry points and the remediator's bundling need, and emits declarations", () => {
        for (const dir of ["dist/", "src/", "stacks/", "policies/"]) assert.ok(manifest.files.includes(dir), dir);
        const build = fs.readFileSync(path.join(REPO_ROOT, "tsconfig.build.json"), "utf8");
        assert.match(build, /"declaration": true/);
    });
});
