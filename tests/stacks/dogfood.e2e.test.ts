/**
 * Dogfooding: the guardrail stack, run by `rootguard preview` (program under mocks → rootguard's own pack over
 * the engine's Analyzer protocol), passes with zero violations in both modes. A negative control proves the pack
 * really saw the stack.
 */
import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureBuilt } from "../build";
import { cleanEnv, runCli, type CliResult } from "../cli/preview-helpers";
import type { JsonReport } from "../../src/cli/preview/json-report";

type Report = JsonReport;

function parse(result: CliResult): Report {
    try {
        return JSON.parse(result.stdout) as Report;
    } catch {
        throw new Error(`rootguard preview printed no JSON (exit ${result.code}): ${result.stderr.slice(0, 2000)}`);
    }
}

describe("stacks: dogfooding through rootguard preview and the policy pack", function () {
    this.timeout(240_000);
    const runs: Record<string, Report> = {};
    const codes: Record<string, number | null> = {};

    before(async () => {
        ensureBuilt();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-dogfood-"));
        const packConfig = path.join(dir, "policy-pack-config.json");
        fs.writeFileSync(
            packConfig,
            JSON.stringify({ "root-key-check-coverage": { allowedExcludedAccounts: ["111122223333"], requireRule: true } }),
        );
        const cases: Record<string, string[]> = {
            account: ["--stack", "example-account"],
            accountEverything: [
                "--stack",
                "example-account",
                "--config",
                "rootguard:createRecorder=true",
                "--config",
                "rootguard:hardwareMfaRule=true",
                "--config",
                "rootguard:automaticRemediation=true",
                "--config",
                "rootguard:createTrail=true",
            ],
            organization: ["--stack", "example-organization"],
            organizationEverything: [
                "--stack",
                "example-organization",
                "--config",
                "rootguard:denyAllRootActions=true",
                "--config",
                'rootguard:excludedAccounts=["111122223333"]',
                "--config",
                "rootguard:createTrail=true",
                "--policy-pack-config",
                packConfig,
            ],
            // Negative control: an exclusion the pack was not told about must be blocked.
            undeclaredExclusion: ["--stack", "example-organization", "--config", 'rootguard:excludedAccounts=["111122223333"]'],
        };
        try {
            await Promise.all(
                Object.entries(cases).map(async ([name, args]) => {
                    const result = await runCli(["preview", ".", "--json", ...args], { env: cleanEnv() });
                    codes[name] = result.code;
                    runs[name] = parse(result);
                }),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    for (const name of ["account", "accountEverything", "organization", "organizationEverything"]) {
        it(`${name}: zero violations, exit 0`, () => {
            assert.deepEqual(runs[name].violations, [], JSON.stringify(runs[name].violations, null, 2));
            assert.equal(runs[name].summary.mandatory, 0);
            assert.equal(runs[name].summary.advisory, 0);
            assert.equal(codes[name], 0);
        });
    }

    it("the pack saw the stacks: the expected resource types are in the reports", () => {
        const types = (name: string) => new Set(runs[name].resources.map((r) => r.type));
        assert.ok(types("account").has("aws:cfg/rule:Rule"));
        assert.ok(types("account").has("aws:lambda/function:Function"));
        assert.ok(types("accountEverything").has("aws:cfg/recorder:Recorder"));
        assert.ok(types("organization").has("aws:cfg/organizationManagedRule:OrganizationManagedRule"));
        assert.ok(types("organizationEverything").has("aws:organizations/policy:Policy"));
        assert.ok(types("organization").has("aws:cloudformation/stackSet:StackSet"));
        assert.ok(types("organizationEverything").has("aws:cloudtrail/trail:Trail"));
    });

    it("negative control: an undeclared excluded account is a mandatory root-key-check-coverage violation", () => {
        const v = runs.undeclaredExclusion.violations;
        assert.deepEqual(
            v.map((d) => [d.policy, d.enforcementLevel]),
            [["root-key-check-coverage", "mandatory"]],
        );
        assert.match(v[0].message, /111122223333/);
        assert.equal(codes.undeclaredExclusion, 1);
    });

    it("measures: resources per mode as previewed (stack, components and providers included)", () => {
        for (const name of Object.keys(runs)) console.log(`      ${name}: ${runs[name].summary.resources} resources`);
    });
});
