/**
 * The StackSet template (member-account forwarders) against AWS's CloudFormation linter, cfn-lint, which checks
 * every property against the resource schemas of each region. In CI (`CI` set) the linter must be present; on a
 * machine without it the tests are pending and say why. That the stack deploys this template is
 * forwarder-template.test.ts (in process).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultEnabledRegions } from "../../src/core/regions";
import { forwarderTemplate } from "../../stacks/components/forwarder-template";

interface LintMatch {
    Rule: { Id: string };
    Message: string;
    Level: string;
}

function linterVersion(): string | undefined {
    const r = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
}

function lint(template: unknown, regions: readonly string[]): LintMatch[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-cfn-"));
    try {
        const file = path.join(dir, "template.json");
        fs.writeFileSync(file, JSON.stringify(template, null, 2));
        const r = spawnSync("cfn-lint", ["--format", "json", "--regions", ...regions, "--", file], { encoding: "utf8", timeout: 120_000 });
        if (r.error) throw r.error;
        // Exit codes are a bit mask of what was found; the JSON report is the answer.
        return JSON.parse(r.stdout || "[]") as LintMatch[];
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const EVERY_REGION = [...defaultEnabledRegions("aws"), ...defaultEnabledRegions("aws-cn"), ...defaultEnabledRegions("aws-us-gov")];

describe("stacks: the member-account StackSet template", function () {
    this.timeout(180_000);
    let version: string | undefined;

    before(function () {
        version = linterVersion();
        if (version === undefined) {
            if (process.env.CI) throw new Error("cfn-lint is not on PATH; CI must run it (pip install cfn-lint)");
            // Pending, with the reason in the report.
            this.skip();
        }
    });

    it("passes cfn-lint in every default region of every partition, with no warning", () => {
        const matches = lint(forwarderTemplate("rootguard"), EVERY_REGION);
        assert.deepEqual(
            matches.map((m) => `${m.Level} ${m.Rule.Id}: ${m.Message}`),
            [],
        );
        console.log(`      ${version}: clean in ${EVERY_REGION.length} regions`);
    });

    it("negative control: cfn-lint catches a broken copy (the test can fail)", () => {
        const broken = structuredClone(forwarderTemplate("rootguard")) as any;
        broken.Resources.ForwarderRule.Properties.State = "ENABLED_FOR_ALL";
        delete broken.Resources.ForwarderRole.Properties.AssumeRolePolicyDocument;
        const ids = lint(broken, ["us-east-1"]).map((m) => m.Rule.Id);
        assert.ok(ids.includes("E3030"), `expected an allowed-value error, got ${ids.join(", ")}`);
        assert.ok(ids.includes("E3003"), `expected a required-property error, got ${ids.join(", ")}`);
    });
});
