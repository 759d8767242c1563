/**
 * `npm run build` compiles the program to dist/stacks/; run that way (plain node, no ts-node) it must find the
 * repository root, bundle the same handler and declare the same resources as stacks/ under ts-node.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cloudResources, one, REPO_ROOT, runProgram } from "./helpers/program";

function newestMtime(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

describe("stacks: the compiled program (dist/stacks)", function () {
    this.timeout(180_000);
    before(() => {
        const main = path.join(REPO_ROOT, "dist/stacks/index.js");
        const sources = Math.max(newestMtime("stacks"), newestMtime("src/core"), newestMtime("src/remediator"));
        if (!fs.existsSync(main) || fs.statSync(main).mtimeMs + 1000 < sources) {
            // tsc emits even when files elsewhere have type errors; type checking is `npm run typecheck`.
            spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: REPO_ROOT });
        }
        assert.ok(fs.existsSync(main), "dist/stacks/index.js was not built");
    });

    for (const config of [{}, { mode: "organization", denyAllRootActions: true, scpTargets: ["r-ab12"] }]) {
        it(`declares the same resources and code as stacks/ (${JSON.stringify(config)})`, async () => {
            const fromSource = await runProgram(config, { fresh: true });
            const compiled = await runProgram(config, { entry: "dist/stacks/index", fresh: true });
            const names = (run: typeof compiled) => cloudResources(run).map((r) => `${r.type} ${r.name}`).sort();
            assert.deepEqual(names(compiled), names(fromSource));
            const code = async (run: typeof compiled) => (await (await one(run, "aws:lambda/function:Function").inputs.code.assets)["index.js"].text) as string;
            assert.equal(await code(compiled), await code(fromSource));
            assert.deepEqual(compiled.outputs, fromSource.outputs);
        });
    }
});
