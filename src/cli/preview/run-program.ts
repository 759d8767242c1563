import { fork } from "child_process";
import * as path from "path";
import { UserError } from "../errors";
import { redactCredentials } from "../../core/access-keys";
import type { ResourceRecord, RunnerJob, RunnerMessage } from "./records";
import { missingConfig } from "./stack-config";

/**
 * Runs the program in a child process and collects its resource records. Whatever the program prints goes
 * to our stderr (redacted), so `--json` output on stdout stays parseable.
 */
export function runProgram(job: RunnerJob): Promise<ResourceRecord[]> {
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
    const forward = (chunk: Buffer) => process.stderr.write(redactCredentials(chunk.toString("utf8")));
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);

    return new Promise((resolve, reject) => {
        let message: RunnerMessage | undefined;
        child.on("message", (m) => {
            message ??= m as RunnerMessage;
        });
        child.on("error", (err) => reject(new UserError(`cannot start the program runner: ${err.message}`)));
        child.on("exit", (code, signal) => {
            if (!message) {
                const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
                reject(new UserError(`program ${how} before it finished registering resources`));
            } else if (message.kind === "done") {
                resolve(message.resources);
            } else if (message.reason === "config") {
                reject(missingConfig(message.key, job.project, job.stack));
            } else {
                const where = message.frame ? ` (at ${message.frame})` : "";
                reject(new UserError(`program failed: ${message.message}${where}`));
            }
        });
    });
}
