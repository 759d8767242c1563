/** `rootguard doctor`: the stack's prerequisites, checked against the target account before `pulumi up`. */
import { Command, Option } from "commander";
import { redactCredentials } from "../../core/access-keys";
import { UserError } from "../errors";
import { slowCallNotices } from "../slow-calls";
import { sdkClients, type ClientSettings, type DoctorClients } from "./clients";
import { renderJson, renderText } from "./report";
import { doctorExitCode, runDoctor, type DoctorReport } from "./run";
import { readDoctorStack } from "./stack";

export interface DoctorOptions {
    stack?: string;
    /** As for preview: a --stack without Pulumi.<stack>.yaml reads Pulumi.yaml's defaults and --config alone. */
    allowMissingStackFile?: boolean;
    config: string[];
    json?: boolean;
    timeout: string;
}

export interface DoctorDeps {
    clients(settings: ClientSettings): DoctorClients;
    stdout: { write(text: string): unknown };
    /** Notices while AWS is silent. */
    stderr: { write(text: string): unknown };
    env: NodeJS.ProcessEnv;
    setExitCode(code: number): void;
}

export function defaultDeps(): DoctorDeps {
    return {
        clients: sdkClients,
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        setExitCode: (code) => {
            process.exitCode = code;
        },
    };
}

export const DEFAULT_TIMEOUT_SECONDS = 60;
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;

function timeoutMs(text: string): number {
    const seconds = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0) || seconds > 600) {
        throw new UserError(`--timeout must be a number of seconds from 1 to 600 (got ${JSON.stringify(text)})`);
    }
    return Math.round(seconds * 1000);
}

export async function doctor(dir: string, opts: DoctorOptions, deps: DoctorDeps): Promise<DoctorReport> {
    const deadlineMs = timeoutMs(opts.timeout);
    const stack = readDoctorStack(
        dir,
        { stack: opts.stack, config: opts.config, allowMissingStackFile: opts.allowMissingStackFile },
        deps.env,
    );
    const clients = deps.clients({
        region: stack.config.region,
        profile: stack.profile,
        connectionTimeoutMs: Math.min(CONNECTION_TIMEOUT_MS, deadlineMs),
        requestTimeoutMs: Math.min(REQUEST_TIMEOUT_MS, deadlineMs),
        maxAttempts: 3,
        observer: slowCallNotices(deps.stderr, Math.min(REQUEST_TIMEOUT_MS, deadlineMs) / 1000),
    });
    let report: DoctorReport;
    try {
        report = await runDoctor(stack, clients, { timeoutMs: deadlineMs, env: deps.env });
    } finally {
        clients.destroy();
    }
    deps.stdout.write(redactCredentials(opts.json ? renderJson(report) : renderText(report)));
    deps.setExitCode(doctorExitCode(report));
    return report;
}

export function registerDoctorCommand(program: Command, deps: () => DoctorDeps = defaultDeps): void {
    program
        .command("doctor")
        .description("Check the target AWS account or organization against the stack's config before `pulumi up`.")
        .argument("[dir]", "the rootguard project directory (with Pulumi.yaml)", ".")
        .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config to check (required when there are several)")
        .option("--allow-missing-stack-file", "check a --stack that has no Pulumi.<stack>.yaml, from Pulumi.yaml defaults and --config")
        .option("--config <key=value>", "set a config value (repeatable)", (value: string, previous: string[]) => [...previous, value], [])
        .option("--json", "print one JSON document instead of one line per check")
        .addOption(new Option("--timeout <seconds>", "overall deadline for all AWS calls").default(String(DEFAULT_TIMEOUT_SECONDS)))
        .action(async (dir: string, opts: DoctorOptions) => {
            await doctor(dir, opts, deps());
        });
}
