/**
 * Writes a sample organization report: `node -r ts-node/register/transpile-only tests/cli/compliance-tools/sample.ts 5000 out.json`.
 * Used for the README example, the screenshot and the 5,000-account timing.
 */
import { writeFileSync } from "node:fs";
import { reportJson } from "../../../src/cli/compliance/report-model";
import { sampleReport } from "../compliance-helpers";

const [accounts = "5000", out = "compliance-sample.json"] = process.argv.slice(2);
writeFileSync(out, reportJson(sampleReport(Number(accounts), { withInventory: true })));
console.log(`wrote ${out} (${accounts} accounts)`);
