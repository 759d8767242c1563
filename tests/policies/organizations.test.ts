import * as assert from "node:assert/strict";
import { scpRootDenyExemptsAssumeRoot as policy } from "../../policies/organizations";
import { UNKNOWN, runResource, secret } from "./helpers";

const ROOT_CONDITION = { StringLike: { "aws:PrincipalArn": ["arn:*:iam::*:root"] } };
const EXEMPTION = { Null: { "aws:AssumedRoot": "true" } };

function scp(statement: Record<string, unknown>, type?: string, native = false) {
    const content = { Version: "2012-10-17", Statement: [statement] };
    return {
        type: native ? "aws-native:organizations:Policy" : "aws:organizations/policy:Policy",
        name: "deny-root",
        props: { content: native ? content : JSON.stringify(content), ...(type ? { type } : {}) },
    };
}

function deny(action: unknown, condition: Record<string, unknown> = ROOT_CONDITION) {
    return { Effect: "Deny", Action: action, Resource: "*", Condition: condition };
}

describe("scp-root-deny-exempts-assume-root", () => {
    it("advises on a root deny of everything without the AssumeRoot exemption", async () => {
        for (const action of ["*", "iam:*", "iam:DeleteAccessKey", ["iam:Delete*"]]) {
            const reports = await runResource(policy, scp(deny(action)));
            assert.equal(reports.length, 1, JSON.stringify(action));
            assert.match(reports[0].message, /aws:AssumedRoot/);
        }
        assert.equal(policy.enforcementLevel, "advisory");
    });

    it("passes a deny with the exemption, a deny of CreateAccessKey only, and denies not aimed at root", async () => {
        assert.deepEqual(await runResource(policy, scp(deny("*", { ...ROOT_CONDITION, ...EXEMPTION }))), []);
        assert.deepEqual(
            await runResource(policy, scp(deny("*", { ...ROOT_CONDITION, BoolIfExists: { "aws:AssumedRoot": "false" } }))),
            [],
        );
        assert.deepEqual(await runResource(policy, scp(deny("iam:CreateAccessKey"))), []);
        assert.deepEqual(await runResource(policy, scp(deny("*", { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/x" } }))), []);
        assert.deepEqual(await runResource(policy, scp({ Effect: "Allow", Action: "*", Resource: "*" })), []);
    });

    it("matches any root pattern or value ending in :root, and NotAction", async () => {
        const exact = deny("iam:*", { ArnEquals: { "aws:principalarn": "arn:aws:iam::123456789012:root" } });
        assert.equal((await runResource(policy, scp(exact))).length, 1);
        const notAction = { Effect: "Deny", NotAction: ["s3:*"], Resource: "*", Condition: ROOT_CONDITION };
        assert.equal((await runResource(policy, scp(notAction))).length, 1);
        const notIam = { Effect: "Deny", NotAction: ["iam:*"], Resource: "*", Condition: ROOT_CONDITION };
        assert.deepEqual(await runResource(policy, scp(notIam)), []);
    });

    it("checks only service control policies; aws defaults to one", async () => {
        assert.deepEqual(await runResource(policy, scp(deny("*"), "TAG_POLICY")), []);
        assert.equal((await runResource(policy, scp(deny("*"), "SERVICE_CONTROL_POLICY"))).length, 1);
        assert.equal((await runResource(policy, scp(deny("*"), "SERVICE_CONTROL_POLICY", true))).length, 1);
        assert.deepEqual(await runResource(policy, scp(deny("*"), undefined, true)), []);
    });

    it("skips unknown content or type and reads secret-wrapped content", async () => {
        assert.deepEqual(await runResource(policy, { type: "aws:organizations/policy:Policy", props: { content: UNKNOWN } }), []);
        assert.deepEqual(await runResource(policy, { ...scp(deny("*")), props: { ...scp(deny("*")).props, type: UNKNOWN } }), []);
        const s = scp(deny("*"));
        assert.equal((await runResource(policy, { ...s, raw: true, props: { content: secret(s.props.content) } })).length, 1);
        for (const content of ["{bad", 5, null, [], { Statement: "x" }]) {
            assert.deepEqual(await runResource(policy, { type: "aws:organizations/policy:Policy", props: { content } }), []);
        }
    });
});
