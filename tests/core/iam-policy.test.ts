import { strict as assert } from "node:assert";
import {
    conditionsOn,
    effectIs,
    isFullWildcardAction,
    matchingAction,
    parseOperator,
    readPolicyDocument,
    statementCoversAction,
    statementLabel,
    wildcardMatch,
    type PolicyStatement,
} from "../../src/core/iam-policy";
import { UNKNOWN, secret } from "../policies/helpers";

function statements(doc: unknown): PolicyStatement[] {
    const read = readPolicyDocument(doc);
    assert.equal(read.kind, "document");
    return read.kind === "document" ? read.statements : [];
}

describe("IAM policy documents", () => {
    it("reads JSON strings and objects, a single Statement object or an array", () => {
        const one = { Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } };
        assert.equal(statements(one).length, 1);
        assert.equal(statements(JSON.stringify(one)).length, 1);
        assert.equal(statements({ Statement: [one.Statement, one.Statement] }).length, 2);
        assert.deepEqual(statements(one)[0].actions, ["s3:GetObject"]);
        assert.deepEqual(statements({ Statement: [{ NotAction: ["a:b", "c:*"] }] })[0].notActions, ["a:b", "c:*"]);
    });

    it("says unknown, absent or invalid instead of guessing", () => {
        assert.equal(readPolicyDocument(UNKNOWN).kind, "unknown");
        assert.equal(readPolicyDocument(secret(UNKNOWN)).kind, "unknown");
        assert.equal(readPolicyDocument({ Statement: UNKNOWN }).kind, "unknown");
        assert.equal(readPolicyDocument(undefined).kind, "absent");
        assert.equal(readPolicyDocument(null).kind, "absent");
        assert.equal(readPolicyDocument("{nope").kind, "invalid");
        assert.equal(readPolicyDocument("[1]").kind, "invalid");
        assert.equal(readPolicyDocument(5).kind, "invalid");
        assert.equal(readPolicyDocument("x".repeat(2_000_000)).kind, "invalid");
    });

    it("sees through secret wrappers at any level", () => {
        const doc = secret(JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRoot" }] }));
        assert.deepEqual(statements(doc)[0].actions, ["sts:AssumeRoot"]);
    });

    it("marks unreadable actions and statements", () => {
        const read = readPolicyDocument({
            Statement: [UNKNOWN, { Effect: "Allow", Action: ["s3:*", UNKNOWN] }, { Effect: UNKNOWN, Action: 5 }],
        });
        assert.equal(read.kind, "document");
        if (read.kind !== "document") return;
        assert.equal(read.statementsUnknown, true);
        assert.equal(read.statements[0].actionsUnknown, true);
        assert.equal(effectIs(read.statements[1], "Allow"), "unknown");
        assert.equal(statementCoversAction(read.statements[1], "iam:GetUser"), "unknown");
    });

    it("matches IAM wildcards case-insensitively", () => {
        assert.ok(wildcardMatch("sts:*", "sts:AssumeRoot"));
        assert.ok(wildcardMatch("STS:assume*", "sts:AssumeRoot"));
        assert.ok(wildcardMatch("sts:AssumeR?ot", "sts:AssumeRoot"));
        assert.ok(wildcardMatch("*", "anything"));
        assert.ok(wildcardMatch("*:*Root", "sts:AssumeRoot"));
        assert.ok(!wildcardMatch("sts:AssumeRole", "sts:AssumeRoot"));
        assert.ok(!wildcardMatch("sts:Assume?", "sts:AssumeRoot"));
        assert.ok(!wildcardMatch("Arn", "arn", false));
        assert.ok(!wildcardMatch(`${"*a".repeat(5000)}b`, "a".repeat(100)), "pathological patterns stay fast");
    });

    it("recognises full wildcards", () => {
        for (const p of ["*", "*:*", "**"]) assert.ok(isFullWildcardAction(p), p);
        for (const p of ["sts:*", "*Root", "?"]) assert.ok(!isFullWildcardAction(p), p);
    });

    it("decides whether Action / NotAction grant an action", () => {
        const [direct, notAction, full] = statements({
            Statement: [{ Action: ["s3:*", "sts:Assume*"] }, { NotAction: "iam:*" }, { Action: "*" }],
        });
        assert.equal(statementCoversAction(direct, "sts:AssumeRoot"), true);
        assert.equal(statementCoversAction(direct, "iam:GetUser"), false);
        assert.equal(statementCoversAction(notAction, "sts:AssumeRoot"), true);
        assert.equal(statementCoversAction(notAction, "iam:GetUser"), false);
        assert.equal(statementCoversAction(full, "sts:AssumeRoot"), true);
        assert.equal(statementCoversAction(full, "sts:AssumeRoot", { includeFullWildcard: false }), false);
        assert.equal(matchingAction(direct, "sts:AssumeRoot", false), "sts:Assume*");
        assert.equal(matchingAction(direct, "iam:GetUser", true), undefined);
        assert.equal(matchingAction(notAction, "sts:AssumeRoot", true), undefined);
        assert.equal(matchingAction(full, "sts:AssumeRoot", true), "*");
        assert.equal(matchingAction(full, "sts:AssumeRoot", false), undefined);
    });

    it("names a statement by Sid, or by index when it has none", () => {
        const [named, unnamed] = statements({ Statement: [{ Sid: "AllowRoot", Action: "*" }, { Action: "*" }] });
        assert.equal(statementLabel(named, 0), "statement 'AllowRoot'");
        assert.equal(statementLabel(unnamed, 1), "statement 1");
    });

    it("parses condition operators with set prefixes and IfExists", () => {
        assert.deepEqual(parseOperator("ForAnyValue:StringLikeIfExists"), {
            baseOperator: "stringlike",
            setOperator: "foranyvalue",
            ifExists: true,
        });
        assert.deepEqual(parseOperator("ForAllValues:ArnEquals"), {
            baseOperator: "arnequals",
            setOperator: "forallvalues",
            ifExists: false,
        });
        assert.deepEqual(parseOperator("Null"), { baseOperator: "null", setOperator: undefined, ifExists: false });
    });

    it("reads conditions with case-insensitive keys and stringified values", () => {
        const [st] = statements({
            Statement: [
                {
                    Condition: {
                        StringEquals: { "STS:TaskPolicyArn": ["a", "b"] },
                        Null: { "aws:AssumedRoot": true },
                        NumericLessThan: { "x:y": 5 },
                        Bool: { "k:u": UNKNOWN },
                    },
                },
            ],
        });
        assert.deepEqual(conditionsOn(st, "sts:taskpolicyarn")[0].values, ["a", "b"]);
        assert.deepEqual(conditionsOn(st, "aws:AssumedRoot", ["null"])[0].values, ["true"]);
        assert.deepEqual(conditionsOn(st, "x:y")[0].values, ["5"]);
        assert.equal(conditionsOn(st, "k:u")[0].hasUnknown, true);
        assert.deepEqual(conditionsOn(st, "aws:AssumedRoot", ["stringequals"]), []);
        const [bad] = statements({ Statement: [{ Condition: ["x"] }] });
        assert.equal(bad.conditionsUnknown, true);
    });
});
