import * as assert from "node:assert/strict";
import { rootKeyCheckCoverage as policy } from "../../policies/config-rules";
import { UNKNOWN, runStack, secret, urnOf, type ResourceSpec } from "./helpers";

const ID = "IAM_ROOT_ACCESS_KEY_CHECK";

function rule(props: Record<string, unknown> = {}): ResourceSpec {
    return { type: "aws:cfg/rule:Rule", name: "root-keys", props: { source: { owner: "AWS", sourceIdentifier: ID }, ...props } };
}

function orgRule(props: Record<string, unknown> = {}): ResourceSpec {
    return {
        type: "aws:cfg/organizationManagedRule:OrganizationManagedRule",
        name: "org-root-keys",
        props: { ruleIdentifier: ID, ...props },
    };
}

describe("root-key-check-coverage", () => {
    it("passes a default rule (unset frequency is 24 hours)", async () => {
        assert.deepEqual(await runStack(policy, [rule()]), []);
        assert.deepEqual(await runStack(policy, [orgRule({ maximumExecutionFrequency: "One_Hour" })]), []);
    });

    it("flags a rule that runs less often than maximumFrequency, reporting on the rule's urn", async () => {
        const reports = await runStack(policy, [rule()], { maximumFrequency: "Twelve_Hours" });
        assert.equal(reports.length, 1);
        assert.equal(reports[0].urn, urnOf("aws:cfg/rule:Rule", "root-keys"));
        assert.match(reports[0].message, /every 24 hours/);
        assert.match(reports[0].message, /Twelve_Hours/);
        assert.deepEqual(
            await runStack(policy, [rule({ maximumExecutionFrequency: "Six_Hours" })], { maximumFrequency: "Twelve_Hours" }),
            [],
        );
    });

    it("flags excluded accounts outside allowedExcludedAccounts", async () => {
        const r = orgRule({ excludedAccounts: ["111111111111", "222222222222"] });
        const reports = await runStack(policy, [r], { allowedExcludedAccounts: ["111111111111"] });
        assert.equal(reports.length, 1);
        assert.match(reports[0].message, /222222222222/);
        assert.doesNotMatch(reports[0].message, /111111111111/);
        assert.deepEqual(await runStack(policy, [r], { allowedExcludedAccounts: ["111111111111", "222222222222"] }), []);
    });

    it("covers aws-native account and organization rules", async () => {
        const native: ResourceSpec = {
            type: "aws-native:configuration:ConfigRule",
            name: "n",
            props: { source: { owner: "AWS", sourceIdentifier: ID }, maximumExecutionFrequency: "TwentyFour_Hours" },
        };
        assert.equal((await runStack(policy, [native], { maximumFrequency: "One_Hour" })).length, 1);
        const nativeOrg: ResourceSpec = {
            type: "aws-native:configuration:OrganizationConfigRule",
            name: "o",
            props: {
                excludedAccounts: ["333333333333"],
                organizationManagedRuleMetadata: { ruleIdentifier: ID, maximumExecutionFrequency: "Three_Hours" },
            },
        };
        const reports = await runStack(policy, [nativeOrg], { maximumFrequency: "One_Hour" });
        assert.equal(reports.length, 2);
    });

    it("ignores other rules and custom rules with the same identifier", async () => {
        assert.deepEqual(
            await runStack(policy, [rule({ source: { owner: "AWS", sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" } })], {
                maximumFrequency: "One_Hour",
            }),
            [],
        );
        assert.deepEqual(
            await runStack(policy, [rule({ source: { owner: "CUSTOM_LAMBDA", sourceIdentifier: ID } })], { maximumFrequency: "One_Hour" }),
            [],
        );
    });

    it("requires a rule only with requireRule", async () => {
        const other: ResourceSpec = { type: "aws:s3/bucket:Bucket", props: {} };
        assert.deepEqual(await runStack(policy, [other]), []);
        const reports = await runStack(policy, [other], { requireRule: true });
        assert.equal(reports.length, 1);
        assert.equal(reports[0].urn, undefined);
        assert.match(reports[0].message, /requireRule/);
        assert.deepEqual(await runStack(policy, [other, orgRule()], { requireRule: true }), []);
    });

    it("never flags unknown values, and reads secret-wrapped ones", async () => {
        assert.deepEqual(await runStack(policy, [rule({ maximumExecutionFrequency: UNKNOWN })], { maximumFrequency: "One_Hour" }), []);
        assert.deepEqual(await runStack(policy, [orgRule({ excludedAccounts: UNKNOWN })]), []);
        assert.deepEqual(await runStack(policy, [orgRule({ excludedAccounts: [UNKNOWN] })]), []);
        assert.deepEqual(await runStack(policy, [orgRule({ ruleIdentifier: UNKNOWN })], { requireRule: true }), []);
        assert.deepEqual(await runStack(policy, [rule({ source: UNKNOWN })], { requireRule: true }), []);
        const wrapped = await runStack(policy, [{ ...orgRule({ excludedAccounts: secret(["444444444444"]) }), raw: true }]);
        assert.equal(wrapped.length, 1);
    });

    it("survives odd values and bad config", async () => {
        for (const excludedAccounts of [null, 5, "x", [null, 5, {}], { a: 1 }]) {
            await runStack(policy, [orgRule({ excludedAccounts, maximumExecutionFrequency: 12 })], {
                maximumFrequency: "Weekly",
                allowedExcludedAccounts: "x",
            });
        }
        assert.deepEqual(await runStack(policy, [rule({ maximumExecutionFrequency: "Weekly" })]), []);
    });
});
