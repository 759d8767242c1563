/**
 * Managed rules AWS Config does not offer in the stack's region (issue 15, finding 5): the stack refuses what
 * cannot work and skips, with a warning, only the rule that is on by default — before anything is planned.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ROOT_ACCESS_KEY_RULE, ROOT_MFA_RULE } from "../../src/core/aws-facts";
import { parseConfig } from "../../stacks/config";
import { ofType, runProgram } from "./helpers/program";

function rejectsRun(config: Record<string, unknown>, pattern: RegExp): Promise<void> {
    return assert.rejects(runProgram(config), (err: Error) => {
        assert.equal(err.constructor.name, "RunError");
        assert.match(err.message, pattern);
        return true;
    });
}

describe("stacks: rules AWS Config does not offer in the region", function () {
    this.timeout(60_000);

    it("refuses a region without the root access key rule, naming regions that have it", () =>
        rejectsRun(
            { "aws:region": "il-central-1" },
            /^aws:region il-central-1 cannot host rootguard's rules: IAM_ROOT_ACCESS_KEY_CHECK is not offered in il-central-1 .*deploy the stack in a region that offers them, such as us-east-1, /,
        ));

    it("refuses a region AWS Config lists no managed rules for", () =>
        rejectsRun({ "aws:region": "ap-southeast-6" }, /AWS Config lists no managed rules for ap-southeast-6/));

    it("refuses the opt-in hardware MFA rule where it is not offered", async () => {
        await rejectsRun(
            { "aws:region": "ap-south-2", hardwareMfaRule: true },
            /^rootguard:hardwareMfaRule is true, but ROOT_ACCOUNT_HARDWARE_MFA_ENABLED's page .* does not yet confirm ap-south-2: set it to false/,
        );
    });

    it("skips the default-on MFA rule in GovCloud with a notice, and deploys the access key rule", async () => {
        const c = parseConfig((k) => (k === "createRecorder" ? "false" : undefined), "us-gov-west-1");
        assert.equal(c.rootMfaRule, false);
        assert.match(
            c.notices.join("\n"),
            /rootguard:rootMfaRule is true, but ROOT_ACCOUNT_MFA_ENABLED is not offered in us-gov-west-1 .*: the rule is skipped/,
        );

        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        pulumi.log.warn = async (msg: string) => void warnings.push(msg);
        try {
            // rootMfaRule: true as well — Pulumi hands the Pulumi.yaml default to the program like a set value.
            for (const [mode, rootMfaRule] of [
                ["account", undefined],
                ["organization", "true"],
            ]) {
                const run = await runProgram({ mode, rootMfaRule, "aws:region": "us-gov-west-1" });
                const rules = [
                    ...ofType(run, "aws:cfg/rule:Rule"),
                    ...ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule"),
                ];
                assert.deepEqual(
                    rules.map((r) => r.inputs.source?.sourceIdentifier ?? r.inputs.ruleIdentifier),
                    [ROOT_ACCESS_KEY_RULE.identifier],
                    mode,
                );
            }
        } finally {
            pulumi.log.warn = warn;
        }
        assert.ok(
            warnings.some((w) => w.includes(`${ROOT_MFA_RULE.identifier} is not offered in us-gov-west-1`)),
            warnings.join("\n"),
        );
    });

    it("deploys every rule where all are offered", async () => {
        const run = await runProgram({ "aws:region": "eu-central-1", hardwareMfaRule: true });
        assert.equal(ofType(run, "aws:cfg/rule:Rule").length, 3);
    });
});
