/**
 * Stack configurations that together switch on every resource the stacks can create, for the tests that walk
 * whatever the stacks generate (IAM data, simulation, names). Add a variant when a component gains an option
 * that creates something new.
 */
import { ACCOUNT_ID, ProgramRun, runProgram } from "./program";

export const STACK_VARIANTS: [string, Record<string, unknown>][] = [
    ["account, defaults", {}],
    [
        "account, everything on (eu-west-1: us-east-1 forwarder)",
        {
            createRecorder: true,
            hardwareMfaRule: true,
            automaticRemediation: true,
            alertEmails: ["a@example.com"],
            remediation: "delete",
        },
    ],
    [
        "account, own KMS key ARN, no activity alerts, us-east-1",
        {
            "aws:region": "us-east-1",
            alertKmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
            rootActivityAlerts: false,
        },
    ],
    [
        "organization, everything on (us-east-1)",
        {
            mode: "organization",
            "aws:region": "us-east-1",
            createRecorder: true,
            hardwareMfaRule: true,
            denyAllRootActions: true,
            scpTargets: ["r-ab12", "ou-ab12-cdefgh34"],
            excludedAccounts: ["111122223333"],
            remediation: "delete",
            alertEmails: ["a@example.com"],
        },
    ],
    ["organization, notify, eu-west-1", { mode: "organization", remediation: "notify" }],
];

const runs = new Map<string, Promise<ProgramRun>>();

/** One program run per configuration per test process: the walking tests share them (treat as read-only). */
export function variantRun(config: Record<string, unknown>): Promise<ProgramRun> {
    const key = JSON.stringify(config);
    let run = runs.get(key);
    if (!run) {
        run = runProgram(config);
        runs.set(key, run);
    }
    return run;
}
