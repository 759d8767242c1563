/**
 * Starts a policy pack the way the Pulumi engine does: `node <run-policy-pack> <engine-address> <packDir>`
 * with the pack directory as working directory, then reads the gRPC port from the first stdout line. With
 * `runPlugin`, starts the directory as a plugin instead (PulumiPlugin.yaml, e.g. a component provider):
 * `node <run-plugin> <dir> <engine-address>`, which serves the same way.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { redactCredentials } from "../core/access-keys";

const RUN_POLICY_PACK = "@pulumi/pulumi/cmd/run-policy-pack";
const RUN_PLUGIN = "@pulumi/pulumi/cmd/run-plugin";
// run-policy-pack drops its first argument; the engine passes its own address there.
const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STDERR_TAIL_BYTES = 8 * 1024;
const KILL_GRACE_MS = 2_000;

export interface StartOptions {
    env?: NodeJS.ProcessEnv;
    startTimeoutMs?: number;
    /**
     * Run the directory with run-plugin (a plugin, not a pack); a provider sends its logs to `engineAddress` and
     * refuses Construct without one.
     */
    runPlugin?: { engineAddress: string };
}

export interface PackProcess {
    readonly port: number;
    readonly packDir: string;
    readonly child: ChildProcess;
    /** Set once the process has exited; `undefined` while it runs. */
    exitDescription(): string | undefined;
    /** The last meaningful stderr lines as one redacted line. */
    stderrSummary(): string;
    kill(): Promise<void>;
}

/** Where the launcher lives for this pack: its own install first, as the engine does, then rootguard's. */
function resolveLauncher(packDir: string, launcher: string = RUN_POLICY_PACK): string {
    for (const from of [packDir, __dirname]) {
        try {
            return require.resolve(launcher, { paths: [from] });
        } catch {
            // try the next place
        }
    }
    throw new Error(`cannot find ${launcher} for ${packDir}: run \`npm install\` in the pack or in rootguard`);
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// A crashed test or CLI must not leave pack servers behind; `exit` handlers may only do synchronous work.
function trackForExit(child: ChildProcess): void {
    live.add(child);
    child.once("exit", () => live.delete(child));
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.once("exit", () => {
        for (const c of live) c.kill("SIGKILL");
    });
}

export async function spawnPack(packDir: string, options: StartOptions = {}): Promise<PackProcess> {
    const dir = path.resolve(packDir);
    const what = options.runPlugin ? "plugin" : "policy pack";
    if (!fs.existsSync(path.join(dir, "package.json"))) {
        throw new Error(`${dir} is not a ${what}: it has no package.json`);
    }
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const args = options.runPlugin
        ? [resolveLauncher(dir, RUN_PLUGIN), dir, options.runPlugin.engineAddress]
        : [resolveLauncher(dir), ENGINE_ADDRESS_PLACEHOLDER, dir];
    const child = spawn(process.execPath, args, {
        cwd: dir,
        env: options.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    trackForExit(child);

    let stderrTail = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    let exited: string | undefined;
    const exitedPromise = new Promise<void>((resolve) => {
        child.once("exit", (code, signal) => {
            exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            resolve();
        });
    });
    const summary = () => summarizeStderr(stderrTail);

    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        let settled = false;
        const finish = (err: Error | undefined, value?: number) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (err) {
                child.kill("SIGKILL");
                reject(err);
            } else resolve(value!);
        };
        const timer = setTimeout(
            () => finish(new Error(`${what} ${dir} did not print its port within ${timeoutMs} ms${tailSuffix(summary())}`)),
            timeoutMs,
        );
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (chunk: string) => {
            // Keep draining after the port: a pack that logs must never block on a full pipe.
            if (settled) return;
            stdout += chunk;
            const nl = stdout.indexOf("\n");
            if (nl < 0) return;
            const first = stdout.slice(0, nl).trim();
            if (/^\d{1,5}$/.test(first) && Number(first) > 0) finish(undefined, Number(first));
            else
                finish(
                    new Error(
                        `${what} ${dir} printed ${JSON.stringify(redactCredentials(first.slice(0, 200)))} before its port; ` +
                            (options.runPlugin
                                ? "nothing may write to stdout before the server starts"
                                : "nothing may write to stdout before the PolicyPack is constructed"),
                    ),
                );
        });
        child.once("error", (err) => finish(new Error(`cannot start ${what} ${dir}: ${err.message}`)));
        // stderr may still be flushing when `exit` fires; `close` waits for the pipes.
        child.once("close", (code, signal) => {
            const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            finish(new Error(`${what} ${dir} ${how} before printing its port${tailSuffix(summary())}`));
        });
    });

    return {
        port,
        packDir: dir,
        child,
        exitDescription: () => exited,
        stderrSummary: summary,
        kill: async () => {
            if (exited !== undefined) return;
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
            await exitedPromise;
            clearTimeout(timer);
        },
    };
}

function tailSuffix(summary: string): string {
    return summary ? `: ${summary}` : "";
}

/**
 * Stack frames say where, not what; the line a user can act on is the thrown error's message
 * ("Error: Cannot find module '@pulumi/policy'"), else the last lines the pack wrote. Redacted, one line.
 */
function summarizeStderr(text: string, maxLines = 3, maxChars = 600): string {
    const lines = text
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !/^at\s/.test(l) && !/^\^+$/.test(l) && !/^\(Use `node/.test(l));
    const thrown = lines.find((l) => /^(?:[A-Z]\w*)?Error(?: \[\w+\])?: /.test(l));
    const chosen = thrown ?? lines.slice(-maxLines).join(" | ");
    const clipped = chosen.length > maxChars ? `${chosen.slice(0, maxChars)}…` : chosen;
    return redactCredentials(clipped);
}
