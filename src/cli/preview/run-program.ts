import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import type { Readable } from "stream";
import { UserError } from "../errors";
import { redactCredentials } from "../../core/access-keys";
import type { ResourceRecord, RunnerFailure, RunnerJob, RunnerMessage } from "./records";
import { missingConfig } from "./stack-config";

/**
 * Copies a stream to our stderr a whole line at a time: redaction must see a key in one piece, and a
 * chunk boundary can fall in the middle of one.
 */
function forwardLines(stream: Readable | null): () => void {
    let pending = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
        pending += chunk;
        const cut = pending.lastIndexOf("\n");
        if (cut < 0) return;
        process.stderr.write(redactCredentials(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
    });
    return () => {
        if (pending) process.stderr.write(redactCredentials(pending) + "\n");
        pending = "";
    };
}

const running = new Set<ChildProcess>();

/** Kills every program runner still running (`--timeout` expired); their runProgram calls then fail. */
export async function stopRunningPrograms(): Promise<void> {
    for (const child of running) child.kill("SIGKILL");
}

/**
 * Runs the program in a child process and collects its resource records. Whatever the program prints goes
 * to our stderr (redacted), so `--json` output on stdout stays parseable.
 */
export function runProgram(job: RunnerJob, explain?: (failure: RunnerFailure) => Error | undefined): Promise<ResourceRecord[]> {
    const compiled = path.extname(__filename) === ".js";
    const runner = path.join(__dirname, compiled ? "program-runner.js" : "program-runner.ts");
    // Under ts-node (tests, development) the runner itself is TypeScript.
    const execArgv = compiled ? [] : ["-r", require.resolve("ts-node/register/transpile-only")];
    const env: NodeJS.ProcessEnv = { ...process.env, ROOTGUARD_PREVIEW_JOB: JSON.stringify(job) };
    // That ts-node compiles rootguard's sources, so it takes rootguard's tsconfig, not the program's.
    if (!compiled) env.TS_NODE_PROJECT = path.join(job.rootguardRoot, "tsconfig.json");
    const child = fork(runner, [], {
        cwd: job.programDir,
        env,
        execArgv,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    running.add(child);
    child.once("exit", () => running.delete(child));
    const flushers = [child.stdout, child.stderr].map((stream) => forwardLines(stream));

    return new Promise((resolve, reject) => {
        let message: RunnerMessage | undefined;
        child.on("message", (m) => {
            message ??= m as RunnerMessage;
        });
        child.on("error", (err) => reject(new UserError(`cannot start the program runner: ${err.message}`)));
        // "close", not "exit": the program's last output lines must be forwarded before the verdict.
        child.on("close", (code, signal) => {
            for (const flush of flushers) flush();
            if (!message) {
                const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
                reject(new UserError(`program ${how} before it finished registering resources`));
            } else if (message.kind === "done") {
                resolve(message.resources);
            } else {
                reject(explain?.(message) ?? defaultFailure(message, job));
            }
        });
    });
}

function defaultFailure(failure: RunnerFailure, job: RunnerJob): UserError {
    if (failure.reason === "config") return missingConfig(failure.key, job.project, { stack: job.stack, environments: [] });
    const where = failure.frame ? ` (at ${failure.frame})` : "";
    return new UserError(`program failed: ${failure.message}${where}`);
}
