/**
 * What a user installs is what the shipped code loads: every package src/, policies/ and stacks/ load at run time
 * is a production dependency (or a consumer of the library would crash), and every production dependency is
 * loaded by them (or every user downloads it for nothing, as @pulumi/awsguard and @pulumi/aws-native once were).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");
const SHIPPED = ["src", "policies", "stacks"];

/**
 * Production dependencies the shipped code loads only through another dependency that requires them without
 * declaring them (so npm would not install them): the dependency, and the file of its that requires the package.
 */
const UNDECLARED_BY_DEPENDENCY: Record<string, { by: string; file: string }> = {
    // Powertools Idempotency's DynamoDB persistence layer (the remediator's) requires it; the package declares only
    // @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb, as optional peers.
    "@aws-sdk/util-dynamodb": {
        by: "@aws-lambda-powertools/idempotency",
        file: "lib/cjs/persistence/DynamoDBPersistenceLayer.js",
    },
};

/** The package a module specifier names: `@scope/name` or `name`, without its subpath. */
export function packageOf(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Packages a TypeScript source loads at run time: imports other than `import type`, require, require.resolve, import(). */
export function runtimePackages(source: string): string[] {
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const found = new Set<string>();
    const patterns = [
        /^\s*import\s+(?!type\s)(?:[^;]*?\sfrom\s+)?"([^"]+)"/gm,
        /^\s*export\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gm,
        /\brequire(?:\.resolve)?\(\s*"([^"]+)"/g,
        /\bimport\(\s*"([^"]+)"\s*\)/g,
    ];
    for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1]);
    return [...found].filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(packageOf(s))).map(packageOf);
}

function shippedSources(): string[] {
    return SHIPPED.flatMap((dir) =>
        fs
            .readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
            .map((e) => path.join(e.parentPath, e.name)),
    );
}

describe("production dependencies", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    const dependencies = Object.keys(manifest.dependencies);
    const loaded = new Map<string, string>();
    for (const file of shippedSources()) {
        for (const pkg of runtimePackages(fs.readFileSync(file, "utf8")))
            if (!loaded.has(pkg)) loaded.set(pkg, path.relative(REPO_ROOT, file));
    }

    it("reads imports as Node loads them: not type-only imports, not comments, subpaths by their package", () => {
        const source = [
            'import type { Handler } from "aws-lambda";',
            'import * as pulumi from "@pulumi/pulumi";',
            'import { x } from "./local";',
            'import * as fs from "node:fs";',
            'export * from "yaml";',
            '// import { y } from "commented-out";',
            'const pb = require("google-protobuf/google/protobuf/struct_pb");',
            'const loader = require.resolve("ts-node/register/transpile-only");',
            'const lazy = await import("esbuild");',
            'import "path";',
        ].join("\n");
        assert.deepEqual(runtimePackages(source).sort(), ["@pulumi/pulumi", "esbuild", "google-protobuf", "ts-node", "yaml"]);
    });

    it("every package the shipped code loads is a production dependency", () => {
        const missing = [...loaded].filter(([pkg]) => !dependencies.includes(pkg)).map(([pkg, file]) => `${pkg} (loaded by ${file})`);
        assert.deepEqual(missing, []);
    });

    it("every production dependency is loaded by the shipped code", () => {
        assert.deepEqual(
            dependencies.filter((d) => !loaded.has(d) && !(d in UNDECLARED_BY_DEPENDENCY)),
            [],
            "move it to devDependencies, or to the tool that needs it",
        );
    });

    it("a dependency kept for another one: that one is loaded, requires it, and does not declare it", () => {
        for (const [pkg, { by, file }] of Object.entries(UNDECLARED_BY_DEPENDENCY)) {
            assert.ok(dependencies.includes(pkg), `${pkg} is a production dependency`);
            assert.ok(loaded.has(by), `${by} is loaded by the shipped code`);
            const dir = path.join(REPO_ROOT, "node_modules", by);
            assert.deepEqual(
                runtimePackages(fs.readFileSync(path.join(dir, file), "utf8")).filter((p) => p === pkg),
                [pkg],
                `${by}/${file} requires ${pkg}`,
            );
            const declared = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            for (const field of ["dependencies", "peerDependencies", "optionalDependencies"])
                assert.equal(declared[field]?.[pkg], undefined, `${by} declares ${pkg} in ${field}: drop it from rootguard's`);
        }
    });
});
