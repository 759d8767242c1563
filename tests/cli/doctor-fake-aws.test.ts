/**
 * The fake AWS itself, held to what it stands in for: every answer it gave during the doctor scenarios fits the
 * operation's output (or error) shape in the services' Smithy models compiled into the SDK packages.
 */
import { strict as assert } from "node:assert";
import { ROOT_ACCESS_KEY_RULE } from "../../src/core/aws-facts";
import { modelProblems } from "../fixtures/fake-aws/model-check";
import {
    accountOf,
    delegatedAdministratorWorld,
    freshStandaloneWorld,
    KEYS,
    organizationWorld,
    type FakeWorld,
} from "../fixtures/fake-aws/world";
import { runDoctorOn } from "./doctor-helpers";

function withEverything(): FakeWorld {
    const world = organizationWorld(true);
    const mgmt = accountOf(world, KEYS.management);
    mgmt.configRules.push({ name: ROOT_ACCESS_KEY_RULE.defaultName, identifier: ROOT_ACCESS_KEY_RULE.identifier, description: "x" });
    mgmt.organization!.organizationRules.push({
        name: ROOT_ACCESS_KEY_RULE.defaultName,
        identifier: ROOT_ACCESS_KEY_RULE.identifier,
        description: "x",
    });
    mgmt.trails.push({
        name: "advanced",
        homeRegion: "us-east-1",
        multiRegion: true,
        logging: false,
        advancedEventSelectors: [{ Name: "m", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }],
    });
    mgmt.lambda.functions["rootguard-remediator"] = 2;
    return world;
}

describe("the fake AWS answers in the services' model shapes", function () {
    this.timeout(60_000);

    const runs: [string, () => FakeWorld, string, string[]][] = [
        ["fresh standalone, account mode", freshStandaloneWorld, KEYS.standalone, []],
        ["fresh standalone, organization mode (errors)", freshStandaloneWorld, KEYS.standalone, ["mode=organization"]],
        ["organization with nothing enabled", () => organizationWorld(false), KEYS.management, ["mode=organization"]],
        ["member, organization mode", () => organizationWorld(true), KEYS.member, ["mode=organization"]],
        ["prepared organization with existing rules and trails", withEverything, KEYS.management, ["mode=organization"]],
        ["prepared organization, account mode", withEverything, KEYS.management, []],
        [
            "delegated administrator (three services: two pages)",
            () => delegatedAdministratorWorld(["iam.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"]),
            KEYS.member,
            ["mode=organization", "manageOrganizationsFeatures=false"],
        ],
        [
            "member registered for nothing (errors)",
            () => organizationWorld(true),
            KEYS.member,
            ["mode=organization", "manageOrganizationsFeatures=false"],
        ],
    ];
    for (const [name, world, key, config] of runs) {
        it(name, async () => {
            const run = await runDoctorOn(world(), key, { config });
            assert.ok(run.calls.length > 3);
            assert.deepEqual(modelProblems(run.calls), []);
        });
    }

    it("the check itself catches a misspelt member and a wrong type", () => {
        const problems = modelProblems([
            {
                action: "lambda:GetAccountSettings",
                keyId: "k",
                region: "r",
                protocol: "rest",
                answer: { json: { AccountLimit: { ConcurrentExecution: 10 } } },
            },
            { action: "cloudtrail:GetTrailStatus", keyId: "k", region: "r", protocol: "json", answer: { json: { IsLogging: "true" } } },
            {
                action: "iam:ListOrganizationsFeatures",
                keyId: "k",
                region: "r",
                protocol: "query",
                answer: { xml: "<EnabledFeature><member>x</member></EnabledFeature>" },
            },
            {
                action: "config:DescribeConfigRules",
                keyId: "k",
                region: "r",
                protocol: "json",
                answer: { error: "NoSuchRuleException", status: 400, message: "m" },
            },
        ]);
        assert.equal(problems.length, 4, problems.join("\n"));
    });
});
