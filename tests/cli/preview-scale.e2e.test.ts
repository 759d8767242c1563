/**
 * The program runner skips Pulumi's per-promise leak bookkeeping (src/cli/preview/promise-tracking.ts) on the
 * very runtime the program's resources use: the fixture program reports whether its promises were wrapped.
 */
import { strict as assert } from "node:assert";
import { preparePreview } from "../../src/cli/preview/preview-program";
import { runProgram } from "../../src/cli/preview/run-program";
import { fixture } from "./preview-helpers";

describe("preview at scale: the program runner", function () {
    this.timeout(120_000);

    it("skips Pulumi's promise leak bookkeeping, on the runtime the program's resources use", async () => {
        const prepared = preparePreview(fixture("leak-tracking"));
        const records = await runProgram(prepared.job);
        assert.equal(records.find((r) => r.name === "probe")?.inputs.wrapped, false);
    });
});
