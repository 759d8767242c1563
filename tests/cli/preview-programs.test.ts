/*
 * Entry points resolved the way Pulumi's Node.js host resolves them (pulumi/pulumi sdk/nodejs/cmd/run/run.ts), in
 * process; running the programs is in preview-programs.e2e.test.ts.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { programEntry } from "../../src/cli/preview/program-entry";
import { readProject } from "../../src/cli/preview/project";
import { fixture } from "./preview-helpers";

describe("preview: entry points, as Pulumi's Node.js host", () => {
    it("follows package.json main, and when it names a file that does not exist warns and runs the folder", () => {
        const entry = programEntry(readProject(fixture("main-fallback")));
        assert.equal(entry.path, path.join(fixture("main-fallback"), "index.ts"));
        assert.deepEqual(entry.warnings, [
            `Could not find entry point 'bin/index.js' specified in package.json; using '${fixture("main-fallback")}' instead`,
        ]);
        assert.equal(programEntry(readProject(fixture("esm-js"))).path, path.join(fixture("esm-js"), "index.js"));
    });
});
