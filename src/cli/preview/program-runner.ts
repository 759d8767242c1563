/**
 * The child process that runs one Pulumi program under mocks. A child, because programs may call
 * `process.exit`, leave timers running or patch globals, and ts-node's hooks must not leak into the CLI.
 * The job arrives in ROOTGUARD_PREVIEW_JOB; the records go back over the IPC channel.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceRecord, RunnerJob, RunnerMessage } from "./records";
import { redirectPulumiModules } from "./module-redirect";
import { registerTypeScript } from "./typescript-loader";
import { createMocks, recordRegistrations } from "./mock-runtime";
import { firstUserFrame } from "./program-errors";
import { skipPromiseLeakTracking } from "./promise-tracking";
import { boundHeapGrowth } from "./runner-heap";

function send(message: RunnerMessage): Promise<void> {
    return new Promise((resolve) => {
        if (!process.send) {
            process.stdout.write(JSON.stringify(message) + "\n");
            resolve();
            return;
        }
        process.send(message, undefined, {}, () => resolve());
    });
}

function classify(err: unknown, job: RunnerJob): RunnerMessage {
    const e = err as any;
    const message = e instanceof Error ? e.message : String(err);
    const missing = /^Missing required configuration variable '([^']+)'/.exec(message);
    if (missing || e?.constructor?.name === "ConfigMissingError") {
        return { kind: "failed", reason: "config", key: missing?.[1] ?? String(e.key) };
    }
    const frame = e instanceof Error ? firstUserFrame(e.stack ?? "", job.programDir) : undefined;
    return { kind: "failed", reason: "program", message: message.split("\n")[0], frame };
}

async function run(job: RunnerJob): Promise<ResourceRecord[]> {
    redirectPulumiModules(job.rootguardRoot);
    process.env.PULUMI_CONFIG = JSON.stringify(job.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(job.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = job.project;
    process.env.PULUMI_NODEJS_STACK = job.stack;
    process.env.PULUMI_DRY_RUN = "true";
    registerTypeScript(job.programDir, job.rootguardRoot);

    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [job.rootguardRoot] }));
    const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [job.rootguardRoot] }));
    skipPromiseLeakTracking(require(require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [job.rootguardRoot] })));
    await pulumi.runtime.setMocks(createMocks(job.region), job.project, job.stack, true);
    const records = recordRegistrations(settings.getMonitor(), job.region);

    let program = job.programPath;
    // A directory must be required as one, not as a sibling `<dir>.json` or `<dir>.ts`.
    if (fs.existsSync(program) && fs.statSync(program).isDirectory() && !program.endsWith(path.sep)) program += path.sep;
    await pulumi.runtime.runInPulumiStack(async () => {
        // As Pulumi's host does: an exported function is the program (`export = async () => ...`).
        const exported = require(program);
        return await (exported instanceof Function ? exported() : exported);
    });
    await settings.waitForRPCs();
    return records();
}

async function main(): Promise<void> {
    boundHeapGrowth();
    const job = JSON.parse(process.env.ROOTGUARD_PREVIEW_JOB ?? "{}") as RunnerJob;
    // Read once; anything the program spawns (bundlers, scripts) has no business with it.
    delete process.env.ROOTGUARD_PREVIEW_JOB;
    let reported = false;
    const fail = async (err: unknown) => {
        if (reported) return;
        reported = true;
        await send(classify(err, job));
        process.exit(0);
    };
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    try {
        const resources = await run(job);
        if (reported) return;
        reported = true;
        await send({ kind: "done", resources });
        process.exit(0);
    } catch (err) {
        await fail(err);
    }
}

void main();
