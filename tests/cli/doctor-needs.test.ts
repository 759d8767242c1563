/**
 * Doctor's view of what a config asks of AWS (src/cli/doctor/needs.ts) against what the stack program really
 * deploys for that config, run under Pulumi's mocks: rule names and descriptions, the function that reserves
 * concurrency, the recorder, the root-activity rule (trail), the management-account resources and the services
 * needing trusted access. When the stack changes, this fails until doctor checks the new shape.
 */
import { strict as assert } from "node:assert";
import { parseConfig, type ConfigKey } from "../../stacks/config";
import {
    needsManagementAccount,
    needsTrail,
    plannedRuleName,
    plannedRules,
    remediatorFunctionName,
    trustedServices,
} from "../../src/cli/doctor/needs";
import { ofType, runProgram, toPulumiConfig, type ProgramRun } from "../stacks/helpers/program";

const CONFIGS: Record<string, unknown>[] = [
    {},
    { mode: "organization", manageOrganizationsFeatures: false, rootMfaRule: false, hardwareMfaRule: true },
    { createRecorder: true, rootActivityAlerts: false, reservedConcurrency: 0, namePrefix: "guard" },
    { mode: "organization", denyAllRootActions: true, scpTargets: ["r-ab12"], reservedConcurrency: 5, namePrefix: "org-guard" },
];

/** Trusted-access principals the deployed resources depend on, read off the resource types. */
function principalsUsed(run: ProgramRun): string[] {
    const used = new Set<string>();
    if (ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").length > 0)
        used.add("config-multiaccountsetup.amazonaws.com");
    if (ofType(run, "aws:cfg/configurationAggregator:ConfigurationAggregator").some((a) => a.inputs.organizationAggregationSource))
        used.add("config.amazonaws.com");
    const assumesRoot = JSON.stringify(run.resources.map((r) => r.inputs)).includes("sts:AssumeRoot");
    if (ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length > 0 || assumesRoot) used.add("iam.amazonaws.com");
    if (run.resources.some((r) => r.type.startsWith("aws:cloudformation/stackSet")))
        used.add("member.org.stacksets.cloudformation.amazonaws.com");
    return [...used].sort();
}

describe("doctor's needs match what the stack deploys", function () {
    this.timeout(120_000);

    for (const raw of CONFIGS) {
        it(`config ${JSON.stringify(raw)}`, async () => {
            const values = toPulumiConfig(raw);
            const config = parseConfig((key: ConfigKey) => values[`rootguard:${key}`], values["aws:region"]);
            const run = await runProgram(raw);

            const deployedRules =
                config.mode === "organization"
                    ? ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").map((r) => [
                          r.inputs.name,
                          r.inputs.ruleIdentifier,
                          r.inputs.description,
                      ])
                    : ofType(run, "aws:cfg/rule:Rule").map((r) => [r.inputs.name, r.inputs.source.sourceIdentifier, r.inputs.description]);
            // rule-names recognises rootguard's own rules by identifier and description.
            assert.deepEqual(
                deployedRules,
                plannedRules(config).map((f) => [plannedRuleName(f), f.identifier, f.description]),
            );

            const reserving = ofType(run, "aws:lambda/function:Function").filter((f) => (f.inputs.reservedConcurrentExecutions ?? -1) > 0);
            assert.deepEqual(
                reserving.map((f) => [f.inputs.name, f.inputs.reservedConcurrentExecutions]),
                config.reservedConcurrency > 0 ? [[remediatorFunctionName(config), config.reservedConcurrency]] : [],
            );

            assert.equal(ofType(run, "aws:cfg/recorder:Recorder").length > 0, config.createRecorder, "recorder");

            const activity = ofType(run, "aws:cloudwatch/eventRule:EventRule").some((r) =>
                String(r.inputs.eventPattern ?? "").includes("via CloudTrail"),
            );
            assert.equal(activity, needsTrail(config), "root activity rule ⇔ trail check");

            const managementOnly =
                ofType(run, "aws:organizations/policy:Policy").length +
                    ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length >
                0;
            assert.equal(managementOnly, needsManagementAccount(config), "SCPs or Organizations features ⇔ management account");

            assert.deepEqual(
                principalsUsed(run),
                trustedServices(config)
                    .map((s) => s.principal)
                    .sort(),
            );
        });
    }
});
