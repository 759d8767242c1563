/**
 * `npm run build` compiles the program to dist/stacks/; run that way (plain node, no ts-node) it must find the
 * repository root, bundle the same handler and declare the same resources as stacks/ under ts-node.
 */
import { strict as assert } from "node:assert";
import { ensureBuilt } from "../build";
import { cloudResources, one, runProgram } from "./helpers/program";

describe("stacks: the compiled program (dist/stacks)", function () {
    this.timeout(180_000);
    before(() => ensureBuilt());

    for (const config of [{}, { mode: "organization", denyAllRootActions: true, scpTargets: ["r-ab12"] }]) {
        it(`declares the same resources and code as stacks/ (${JSON.stringify(config)})`, async () => {
            const fromSource = await runProgram(config, { fresh: true });
            const compiled = await runProgram(config, { entry: "dist/stacks/index", fresh: true });
            const names = (run: typeof compiled) =>
                cloudResources(run)
                    .map((r) => `${r.type} ${r.name}`)
                    .sort();
            assert.deepEqual(names(compiled), names(fromSource));
            const code = async (run: typeof compiled) =>
                (await (
                    await one(run, "aws:lambda/function:Function").inputs.code.assets
                )["index.js"].text) as string;
            assert.equal(await code(compiled), await code(fromSource));
            assert.deepEqual(compiled.outputs, fromSource.outputs);
        });
    }
});
