/**
 * rootguard's own rules for the documents it writes (named actions in every Allow, one deny-all only), read
 * with src/core/iam-policy.ts as the pack reads them. AWS's rules for the same documents are checked in
 * iam-data.test.ts (Service Authorization Reference) and iam-simulation.test.ts (policy simulator).
 */
import { strict as assert } from "node:assert";
import { hasWildcard, readPolicyDocument } from "../../src/core/iam-policy";
import { policyDocument, serviceTrustPolicy } from "../../stacks/components/policy-document";
import type { RecordedOptions } from "./helpers/options-program";
import { generatedDocuments } from "./helpers/policy-documents";
import { ACCOUNT_ID, ProgramRun, runProgram } from "./helpers/program";

function documents(run: ProgramRun): { where: string; doc: ReturnType<typeof readPolicyDocument> }[] {
    return generatedDocuments(run).map((d) => ({ where: d.where, doc: readPolicyDocument(JSON.stringify(d.doc)) }));
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

    it("service trust policies pin this account and the service's own resources (confused deputy)", async () => {
        const run = await runProgram({ ...MODES[0][1] });
        const trusts = generatedDocuments(run).filter((d) => d.kind === "trust");
        const byService = Object.fromEntries(
            trusts.map((d) => [(d.doc.Statement as any[])[0].Principal.Service, (d.doc.Statement as any[])[0].Condition]),
        );
        assert.deepEqual(byService["config.amazonaws.com"], {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:config:*:${ACCOUNT_ID}:*` },
        });
        assert.deepEqual(byService["ssm.amazonaws.com"]?.ArnLike, { "aws:SourceArn": `arn:*:ssm:*:${ACCOUNT_ID}:automation-execution/*` });
        assert.deepEqual(byService["events.amazonaws.com"]?.ArnLike, { "aws:SourceArn": `arn:*:events:*:${ACCOUNT_ID}:rule/*` });
        assert.equal(byService["lambda.amazonaws.com"], undefined, "Lambda documents no source keys for execution roles");
        assert.throws(
            () => serviceTrustPolicy("example.amazonaws.com", ACCOUNT_ID),
            /no aws:SourceArn form known for example.amazonaws.com/,
        );
    });

    it("the Config recorder and delivery channel wait for the role's policies, not only the role", async () => {
        const run = await runProgram({ createRecorder: true }, { entry: "tests/stacks/helpers/options-program" });
        const recorded = run.outputs.options as RecordedOptions[];
        const names = (type: string) => recorded.filter((o) => o.type === type).map((o) => o.name);
        const rolePolicies = [
            ...names("aws:iam/rolePolicy:RolePolicy"),
            ...names("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
        ].filter((n) => n.includes("recorder"));
        assert.equal(rolePolicies.length, 2);
        // Explicit dependencies, followed transitively (the channel waits for the recorder, which waits for both).
        const waitsFor = (name: string, seen = new Set<string>()): Set<string> => {
            for (const d of recorded.find((o) => o.name === name)?.dependsOn ?? []) if (!seen.has(d)) waitsFor(d, seen.add(d));
            return seen;
        };
        for (const type of ["aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel"]) {
            const deps = [...waitsFor(recorded.find((o) => o.type === type)!.name)];
            for (const p of rolePolicies) assert.ok(deps.includes(p), `${type} waits for ${p} (has ${deps.join(", ")})`);
        }
    });
});
