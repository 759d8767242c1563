/**
 * Tables in docs/stacks.md that restate the code's data are generated from it: on drift the test fails and
 * prints the block to paste.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { MANAGED_RULE_REGIONS } from "../../src/core/regions";
import { REPO_ROOT } from "./helpers/program";

function ruleAvailabilityTable(): string {
    const rows = Object.entries(MANAGED_RULE_REGIONS).map(
        ([id, r]) => `| ${id} | ${r.unsupported.join(", ") || "—"} | ${r.unconfirmed.join(", ") || "—"} |`,
    );
    return ["| Rule | Not offered (AWS's page) | Not yet confirmed by AWS's page |", "| --- | --- | --- |", ...rows].join("\n");
}

function block(doc: string, name: string): string {
    const m = new RegExp(`<!-- ${name}:begin[^>]*-->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc);
    assert.ok(m, `docs/stacks.md has a ${name} block`);
    return m[1];
}

describe("docs: generated tables in docs/stacks.md", () => {
    it("rule availability by region matches src/core/regions.ts", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/stacks.md"), "utf8");
        const expected = ruleAvailabilityTable();
        assert.equal(block(doc, "rule-availability"), expected, `replace the rule-availability block with:\n${expected}`);
    });
});
