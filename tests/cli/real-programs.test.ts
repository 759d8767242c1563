/*
 * The real-programs corpus (tests/cli/fixtures/real-programs) as stored: every program has a case in
 * real-programs.ts and a named source, and none carries node_modules. Previewing them is real-programs.e2e.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FIXTURES } from "./preview-helpers";
import { PULUMI_AWS_NATIVE, PULUMI_EXAMPLES, REAL_PROGRAMS } from "./real-programs";

const CORPUS = path.join(FIXTURES, "real-programs");

describe("real programs: the stored corpus", () => {
    it("stores every program with its source named, and no node_modules", () => {
        const sources = fs.readFileSync(path.join(CORPUS, "SOURCES.md"), "utf8");
        assert.ok(sources.includes(PULUMI_EXAMPLES.commit) && sources.includes(PULUMI_AWS_NATIVE.commit));
        const dirs = fs.readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory());
        for (const dir of dirs) {
            assert.ok(
                REAL_PROGRAMS.some((p) => p.dir === dir.name),
                `${dir.name} has a case`,
            );
            assert.ok(sources.includes(`\`${dir.name}\``), `${dir.name} is listed in SOURCES.md`);
            assert.ok(!fs.existsSync(path.join(CORPUS, dir.name, "node_modules")), `${dir.name} is stored without node_modules`);
        }
    });
});
