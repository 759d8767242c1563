/**
 * Numbers for the README and the closing note: cloud resources `pulumi up` creates per mode (defaults, and
 * with every option on), and the time to run the program under mocks (cold: esbuild included; warm: bundle
 * reused within the process).
 */
import { strict as assert } from "node:assert";
import { cloudResources, runProgram } from "./helpers/program";

const CASES: [string, Record<string, unknown>][] = [
    ["account, defaults (eu-west-1)", {}],
    ["account, defaults (us-east-1)", { "aws:region": "us-east-1" }],
    [
        "account, everything on",
        { createRecorder: true, hardwareMfaRule: true, alertEmails: ["a@example.com"], automaticRemediation: true, createTrail: true },
    ],
    ["organization, defaults (us-east-1)", { mode: "organization", "aws:region": "us-east-1" }],
    [
        "organization, everything on",
        {
            mode: "organization",
            hardwareMfaRule: true,
            denyAllRootActions: true,
            scpTargets: ["r-ab12"],
            alertEmails: ["a@example.com"],
            createTrail: true,
        },
    ],
];

describe("stacks: measurements under mocks", function () {
    // Six program runs of ~175 resources each; on a shared 2-core machine one run takes up to ~15 s.
    this.timeout(300_000);
    it("resource counts per mode and program time", async () => {
        const cold = await runProgram({}, { fresh: true });
        console.log(`      cold run (esbuild bundle included): ${cold.elapsedMs.toFixed(0)} ms`);
        for (const [label, config] of CASES) {
            const run = await runProgram(config);
            const cloud = cloudResources(run);
            const components = run.resources.filter((r) => !r.custom).length;
            console.log(`      ${label}: ${cloud.length} cloud resources, ${components} components, ${run.elapsedMs.toFixed(0)} ms`);
            // Most of it is the root activity path: about 8 resources per watched region (17 by default).
            assert.ok(cloud.length > 150 && cloud.length < 250, label);
        }
    });
});
