/**
 * The child process that runs one Pulumi program under mocks. A child, because programs may call
 * `process.exit`, leave timers running or patch globals, and ts-node's hooks must not leak into the CLI.
 * The job arrives in ROOTGUARD_PREVIEW_JOB; the records go back over the IPC channel.
 */
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import type { ResourceRecord, RunnerJob, RunnerMessage } from "./records";
import { redirectPulumiModules } from "./module-redirect";
import { registerTypeScript } from "./typescript-loader";
import { registerEsmLoader } from "./esm-loader";
import { createMocks, recordRegistrations } from "./mock-runtime";
import { firstUserFrame, missingPackage, syntaxErrorLine } from "./program-errors";
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

/** Whether a module-not-found error was raised by the program's own files (not by a package it uses). */
function importedByProgram(err: any, programDir: string): boolean {
    const importer: unknown = err?.requireStack?.[0] ?? /imported from (.+)$/.exec(String(err?.message ?? ""))?.[1];
    if (typeof importer !== "string") return true;
    const file = importer.startsWith("file://") ? fileURLToPath(importer) : importer;
    const rel = path.relative(programDir, file);
    return !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules");
}

function classify(err: unknown, job: RunnerJob): RunnerMessage {
    const e = err as any;
    const message = e instanceof Error ? e.message : String(err);
    const missing = /^Missing required configuration variable '([^']+)'/.exec(message);
    if (missing || e?.constructor?.name === "ConfigMissingError") {
        return { kind: "failed", reason: "config", key: missing?.[1] ?? String(e.key) };
    }
    const located = syntaxErrorLine(err, job.programDir);
    if (located) return { kind: "failed", reason: "program", message: located };
    const frame = e instanceof Error ? firstUserFrame(e.stack ?? "", job.programDir) : undefined;
    const pkg = missingPackage(err);
    if (pkg && importedByProgram(e, job.programDir))
        return { kind: "failed", reason: "module", module: pkg, message: message.split("\n")[0], frame };
    return { kind: "failed", reason: "program", message: message.split("\n")[0], frame };
}

// A real dynamic import: TypeScript compiling this file to CommonJS would turn `import()` into `require`.
const dynamicImport = new Function("u", "return import(u)") as (url: string) => Promise<Record<string, unknown>>;

/** `import()` of the entry module; a default export is the program, as in run.ts (never both kinds). */
async function importProgram(file: string): Promise<unknown> {
    const exports = await dynamicImport(pathToFileURL(file).href);
    if (Object.getOwnPropertyDescriptor(exports, "default") === undefined) return exports;
    if (Object.keys(exports).length !== 1) {
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    }
    return exports.default;
}

/**
 * Node's default of 10 frames does not reach the program's own line from a failed `require` on Node 24: its CommonJS
 * loader adds five frames of its own, and the module redirect and ts-node's hook add theirs. Errors are rare in a
 * preview, so a longer stack costs nothing that matters.
 */
const PROGRAM_STACK_FRAMES = 50;

async function run(job: RunnerJob): Promise<ResourceRecord[]> {
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, PROGRAM_STACK_FRAMES);
    redirectPulumiModules(job.rootguardRoot);
    collectClosureWarnings();
    process.env.PULUMI_CONFIG = JSON.stringify(job.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(job.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = job.project;
    process.env.PULUMI_NODEJS_STACK = job.stack;
    process.env.PULUMI_DRY_RUN = "true";
    // As in Pulumi's host: ES-module programs get only the loader hooks, CommonJS ones only ts-node's require hook.
    if (job.esm) registerEsmLoader(job.programDir, job.rootguardRoot);
    else registerTypeScript(job.programDir, job.rootguardRoot);

    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [job.rootguardRoot] }));
    const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [job.rootguardRoot] }));
    skipPromiseLeakTracking(require(require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [job.rootguardRoot] })));
    await pulumi.runtime.setMocks(createMocks(job.region, job.lookups), job.project, job.stack, true);
    const records = recordRegistrations(settings.getMonitor(), job.region);

    await pulumi.runtime.runInPulumiStack(async () => {
        const exported = job.esm ? await importProgram(job.programPath) : require(job.programPath);
        // As Pulumi's host does: an exported function is the program (`export = async () => ...`).
        return await (exported instanceof Function ? exported() : exported);
    });
    await settings.waitForRPCs();
    const missing = closureDependencies.splice(0);
    if (missing.length > 0) {
        process.stderr.write(
            `rootguard: callback functions' code archives leave out packages not installed in ${job.programDir} (${[...new Set(missing)].join(", ")}): ` +
                "the functions' own code is included and checked; run `npm install` there to include them\n",
        );
    }
    return records();
}

/**
 * Pulumi's closure serializer warns once per dependency of a callback function (`aws.lambda.CallbackFunction`)
 * that the program folder has not installed, and packs the function without it. The warnings become one line.
 */
const closureDependencies: string[] = [];
function collectClosureWarnings(): void {
    const warn = console.warn.bind(console);
    console.warn = (...args: unknown[]) => {
        const m = /^Could not include required dependency '(.+)' in '.+'\.$/.exec(String(args[0]));
        if (m && args.length === 1) closureDependencies.push(m[1]);
        else warn(...args);
    };
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
        // A registration whose input failed (a lookup that threw, say) rejects after the program returned; Pulumi's
        // host keeps running until the event loop is empty and fails on it. Give such rejections their turn.
        await new Promise((resolve) => setTimeout(resolve, 0));
        await new Promise((resolve) => setImmediate(resolve));
        if (reported) return;
        reported = true;
        await send({ kind: "done", resources });
        process.exit(0);
    } catch (err) {
        await fail(err);
    }
}

void main();
