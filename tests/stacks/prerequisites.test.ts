/**
 * What the first `pulumi up` needs from the account or organization, and what the stack must never do to it
 * (issue 15, findings 1–3): the Config recorder is an explicit choice, organization-wide IAM features are
 * enabled only from the management account, and destroying the stack leaves centralized root access on.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError, parseConfig } from "../../stacks/config";
import { activityNotFromManagementMessage } from "../../stacks/components/organization-forwarders";
import { notManagementAccountMessage } from "../../stacks/components/organization-guardrails";
import type { RecordedOptions } from "./helpers/options-program";
import { ACCOUNT_ID, ofType, REPO_ROOT, runProgram } from "./helpers/program";

const ORGANIZATION = "aws:organizations/getOrganization:getOrganization";
const MANAGEMENT_ACCOUNT = "999988887777";
const FEATURES = "aws:iam/organizationsFeatures:OrganizationsFeatures";
const SCP = "aws:organizations/policy:Policy";

/** DescribeOrganization as a member account (a Config delegated administrator) sees it. */
const fromMemberAccount = {
    [ORGANIZATION]: { id: "o-exampleorgid", masterAccountId: MANAGEMENT_ACCOUNT, featureSet: "ALL" },
};

async function options(config: Record<string, unknown>): Promise<RecordedOptions[]> {
    const run = await runProgram(config, { entry: "tests/stacks/helpers/options-program" });
    return run.outputs.options as RecordedOptions[];
}

describe("stacks: prerequisites of the first pulumi up", function () {
    this.timeout(60_000);

    describe("a Config recorder is an explicit choice (finding 1)", () => {
        it("createRecorder has no default: Pulumi.yaml makes the key required, the parser names the decision", () => {
            const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
            assert.equal(project.config.createRecorder.type, "boolean");
            assert.ok(
                !("default" in project.config.createRecorder),
                "a default would let pulumi up run into NoAvailableConfigurationRecorder",
            );
            assert.throws(
                () => parseConfig(() => undefined, "eu-west-1"),
                (err: unknown) =>
                    err instanceof ConfigError &&
                    err.key === "createRecorder" &&
                    /^rootguard:createRecorder must be set: true creates .* false uses the one already recording .*rootguard doctor/.test(
                        err.message,
                    ),
            );
        });

        it("the program stops before creating anything when it is unset, in both modes", async () => {
            for (const mode of ["account", "organization"]) {
                await assert.rejects(runProgram({ mode, createRecorder: undefined }), (err: Error) => {
                    assert.equal(err.constructor.name, "RunError");
                    assert.match(err.message, /^rootguard:createRecorder must be set/);
                    return true;
                });
            }
        });

        it("true creates the recorder the rules wait for; false creates none and trusts the existing one", async () => {
            const withRecorder = await options({ createRecorder: true });
            const status = withRecorder.find((o) => o.type === "aws:cfg/recorderStatus:RecorderStatus");
            assert.ok(status);
            for (const rule of withRecorder.filter((o) => o.type === "aws:cfg/rule:Rule")) assert.deepEqual(rule.dependsOn, [status.name]);
            const without = await options({ createRecorder: false });
            assert.equal(without.filter((o) => o.type.startsWith("aws:cfg/recorder")).length, 0);
        });
    });

    describe("organization mode: management account or delegated administrator (finding 2)", () => {
        it("from the management account: centralized root access and SCPs", async () => {
            const run = await runProgram({ mode: "organization" });
            assert.equal(ofType(run, FEATURES).length, 1);
            assert.equal(ofType(run, SCP).length, 1);
        });

        it("from another account, managing the Organizations features fails while planning, naming both fixes", async () => {
            // Root activity alerts off: they are refused from another account too (next test), whichever comes first.
            const config = { mode: "organization", rootActivityAlerts: false };
            await assert.rejects(runProgram(config, { invokes: fromMemberAccount }), (err: Error) => {
                // The engine reports it on the resource whose input failed ("error serializing property …: <message>").
                assert.ok(err.message.endsWith(notManagementAccountMessage(ACCOUNT_ID, MANAGEMENT_ACCOUNT)), err.message);
                assert.match(err.message, /rootguard:manageOrganizationsFeatures: false/);
                return true;
            });
        });

        it("from another account, organization-wide root activity alerts fail while planning: their StackSet is the management account's", async () => {
            const config = { mode: "organization", manageOrganizationsFeatures: false, serviceControlPolicies: false };
            await assert.rejects(runProgram(config, { invokes: fromMemberAccount }), (err: Error) => {
                assert.ok(err.message.endsWith(activityNotFromManagementMessage(ACCOUNT_ID, MANAGEMENT_ACCOUNT)), err.message);
                assert.match(err.message, /set rootguard:rootActivityAlerts: false/);
                return true;
            });
        });

        it("a Config delegated administrator deploys rules, aggregator and remediator without the management-only parts", async () => {
            const run = await runProgram(
                { mode: "organization", manageOrganizationsFeatures: false, serviceControlPolicies: false, rootActivityAlerts: false },
                { invokes: fromMemberAccount },
            );
            assert.equal(ofType(run, FEATURES).length, 0);
            assert.equal(ofType(run, SCP).length, 0);
            assert.equal(ofType(run, "aws:organizations/policyAttachment:PolicyAttachment").length, 0);
            assert.ok(ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").length >= 1);
            assert.equal(ofType(run, "aws:cfg/configurationAggregator:ConfigurationAggregator").length, 1);
            assert.equal(ofType(run, "aws:lambda/function:Function").length, 1);
        });

        it("SCPs off leaves nothing to attach: scpTargets and denyAllRootActions are refused with it", () => {
            const parse = (values: Record<string, string>) => () => {
                const all: Record<string, string> = {
                    mode: "organization",
                    createRecorder: "false",
                    serviceControlPolicies: "false",
                    ...values,
                };
                return parseConfig((k) => all[k], "eu-west-1");
            };
            assert.throws(parse({ scpTargets: '["r-ab12"]' }), /rootguard:scpTargets needs serviceControlPolicies: true/);
            assert.throws(parse({ denyAllRootActions: "true" }), /rootguard:denyAllRootActions needs serviceControlPolicies: true/);
        });

        it("offline (no DescribeOrganization answer) the check stands aside instead of guessing", async () => {
            // Root activity alerts need the organization id for the central bus policy (and fail without it), so
            // they are off here: what is checked is that the management-account check itself does not guess.
            const run = await runProgram({ mode: "organization", rootActivityAlerts: false }, { invokes: { [ORGANIZATION]: {} } });
            assert.equal(ofType(run, FEATURES).length, 1);
        });

        it("the descriptions no longer promise that a delegated administrator can run everything", () => {
            const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
            assert.doesNotMatch(project.config.mode.description, /management or delegated-admin account/);
            assert.match(project.config.manageOrganizationsFeatures.description, /management account only/);
        });
    });

    describe("destroy keeps centralized root access on (finding 3)", () => {
        it("aws.iam.OrganizationsFeatures is retained on delete, so destroy or manageOrganizationsFeatures: false only forgets it", async () => {
            const recorded = await options({ mode: "organization" });
            const features = recorded.filter((o) => o.type === FEATURES);
            assert.equal(features.length, 1);
            assert.equal(features[0].retainOnDelete, true);
            // Nothing else is retained: SCPs, rules and the remediator go with the stack.
            assert.deepEqual(
                recorded.filter((o) => o.retainOnDelete).map((o) => o.type),
                [FEATURES],
            );
        });
    });
});
