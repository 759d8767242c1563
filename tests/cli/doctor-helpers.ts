/**
 * Runs `rootguard doctor` in-process against the loopback fake AWS, with the real SDK clients it builds:
 * only AWS_ENDPOINT_URL_<SERVICE> and fake static keys point them at the fake, as a user's environment would.
 */
import * as os from "node:os";
import * as path from "node:path";
import { doctor, defaultDeps } from "../../src/cli/doctor/command";
import type { DoctorReport } from "../../src/cli/doctor/run";
import { startFakeAws, type FakeCall } from "../fixtures/fake-aws/server";
import type { FakeWorld } from "../fixtures/fake-aws/world";
import { REPO_ROOT } from "./preview-helpers";

/** The repository has two stack files, so doctor (like preview) needs one named; scenarios name this one, which has none. */
export const SCENARIO_STACK = "scenario";

export interface DoctorRun {
    report: DoctorReport;
    exitCode: number;
    output: string;
    /** What doctor said on stderr (notices while AWS is silent). */
    notices: string;
    calls: FakeCall[];
    ms: number;
}

export interface RunArgs {
    config?: string[];
    /** A stack file of the repository (Pulumi.<stack>.yaml); default: a stack without one, from Pulumi.yaml's defaults and `config`. */
    stack?: string;
    timeout?: string;
    json?: boolean;
    region?: string;
    /** Replace the fake's URL (e.g. a closed port). */
    url?: string;
}

/** Sets exactly these AWS_* variables for the duration of `work` (the SDK reads process.env), then restores. */
export async function withAwsEnv<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_")));
    for (const k of Object.keys(saved)) delete process.env[k];
    Object.assign(process.env, {
        AWS_CONFIG_FILE: path.join(os.tmpdir(), "rootguard-doctor-no-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "rootguard-doctor-no-credentials"),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...env,
    });
    try {
        return await work();
    } finally {
        for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
        Object.assign(process.env, saved);
    }
}

export async function runDoctorOn(world: FakeWorld, keyId: string, args: RunArgs = {}): Promise<DoctorRun> {
    const fake = await startFakeAws(world);
    try {
        let env = fake.env(keyId, { AWS_REGION: args.region ?? "us-east-1" });
        if (args.url) env = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === fake.url ? args.url : v]));
        return await withAwsEnv(env, async () => {
            let output = "";
            let notices = "";
            let exitCode = -1;
            const started = Date.now();
            const report = await doctor(
                REPO_ROOT,
                {
                    stack: args.stack ?? SCENARIO_STACK,
                    allowMissingStackFile: args.stack === undefined,
                    config: args.config ?? [],
                    json: args.json,
                    timeout: args.timeout ?? "20",
                },
                {
                    ...defaultDeps(),
                    stdout: { write: (text: string) => (output += text) },
                    stderr: { write: (text: string) => (notices += text) },
                    env: process.env,
                    setExitCode: (code) => (exitCode = code),
                },
            );
            return { report, exitCode, output, notices, calls: fake.calls, ms: Date.now() - started };
        });
    } finally {
        await fake.close();
    }
}

export function statuses(report: DoctorReport): Record<string, string> {
    return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

export function check(report: DoctorReport, id: string): DoctorReport["checks"][number] {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(", ")}`);
    return found;
}
