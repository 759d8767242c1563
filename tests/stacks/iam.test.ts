import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { hasWildcard, readPolicyDocument } from "../../src/core/iam-policy";
import { policyDocument } from "../../stacks/components/policy-document";
import { SDK_COMMAND_ACTIONS, TASK_SESSION_COMMANDS } from "../../stacks/components/remediator-permissions";
import { one, ProgramRun, REPO_ROOT, runProgram } from "./helpers/program";

/** Properties that hold IAM policy documents, by resource type. */
const POLICY_PROPERTIES: Record<string, string[]> = {
    "aws:iam/role:Role": ["assumeRolePolicy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:kms/key:Key": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:organizations/policy:Policy": ["content"],
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": ["policy"],
};

function documents(run: ProgramRun): { where: string; doc: ReturnType<typeof readPolicyDocument> }[] {
    const out = [];
    for (const r of run.resources) {
        for (const prop of POLICY_PROPERTIES[r.type] ?? [])
            out.push({ where: `${r.type} ${r.name}.${prop}`, doc: readPolicyDocument(r.inputs[prop]) });
    }
    return out;
}

const MODES: [string, Record<string, unknown>][] = [
    ["account (everything on)", { createRecorder: true, hardwareMfaRule: true, alertEmails: ["a@example.com"], createTrail: true }],
    [
        "organization (everything on)",
        {
            mode: "organization",
            denyAllRootActions: true,
            scpTargets: ["r-ab12"],
            remediation: "delete",
            alertEmails: ["a@example.com"],
            createTrail: true,
        },
    ],
];

describe("stacks: IAM policies", function () {
    for (const [label, config] of MODES) {
        it(`${label}: every document parses, and no Allow names a wildcard action`, async () => {
            const run = await runProgram(config);
            const docs = documents(run);
            assert.ok(docs.length >= 8, `only ${docs.length} documents`);
            for (const { where, doc } of docs) {
                assert.equal(doc.kind, "document", where);
                if (doc.kind !== "document") continue;
                for (const st of doc.statements) {
                    assert.ok(st.effect === "Allow" || st.effect === "Deny", `${where}: effect ${st.effect}`);
                    assert.equal(st.notActions, undefined, `${where}: NotAction`);
                    if (st.effect !== "Allow") continue;
                    for (const action of st.actions ?? []) assert.ok(!hasWildcard(action), `${where}: Allow ${action}`);
                }
            }
        });
    }

    it("the only Deny with Action * is the opt-in deny-all SCP, and it exempts AssumeRoot sessions", async () => {
        const run = await runProgram(MODES[1][1]);
        const denyAll = documents(run).filter(
            ({ doc }) => doc.kind === "document" && doc.statements.some((s) => s.effect === "Deny" && (s.actions ?? []).includes("*")),
        );
        assert.deepEqual(
            denyAll.map((d) => d.where),
            ["aws:organizations/policy:Policy rootguard-organization-deny-root-actions.content"],
        );
        const st = (denyAll[0].doc as any).statements[0];
        assert.ok(st.conditions.some((c: any) => c.baseOperator === "null" && c.key === "aws:assumedroot" && c.values[0] === "true"));
    });

    it("policyDocument refuses an Allow with a wildcard action", () => {
        assert.throws(() => policyDocument([{ Effect: "Allow", Action: ["iam:Get*"], Resource: "*" }]), /wildcard action iam:Get\*/);
        assert.doesNotThrow(() => policyDocument([{ Effect: "Deny", Action: "*", Resource: "*" }]));
    });

    it("every AWS SDK command the remediator sends is mapped, and granted to its role where the role sends it", async () => {
        const dir = path.join(REPO_ROOT, "src/remediator");
        const sent = new Set<string>();
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
            for (const m of fs.readFileSync(path.join(dir, file), "utf8").matchAll(/new ([A-Z][A-Za-z]+Command)\(/g)) sent.add(m[1]);
        }
        assert.ok(sent.size > 0, "no SDK commands found in src/remediator");
        const unmapped = [...sent].filter((c) => !(c in SDK_COMMAND_ACTIONS));
        assert.deepEqual(unmapped, [], "commands without an IAM mapping in stacks/components/remediator-permissions.ts");

        const run = await runProgram({ mode: "organization", remediation: "delete-unused" });
        const granted = new Set(
            JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy).Statement.flatMap(
                (s: any) => s.Action,
            ),
        );
        for (const command of sent) {
            const action = SDK_COMMAND_ACTIONS[command];
            if (action === undefined) continue;
            assert.ok(granted.has(action), `${command} needs ${action}`);
        }
        // The IAM writes on root keys are the task policy's, never the Lambda role's.
        for (const command of TASK_SESSION_COMMANDS) assert.ok(!granted.has(`iam:${command.replace(/Command$/, "")}`), command);
    });
});
