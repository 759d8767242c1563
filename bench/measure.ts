/** Timing helpers. Wall-clock throughout: it is what a user waits for. */
import { spawn } from "node:child_process";
import { sampleTreeMemory, type TreeMemory } from "./process-memory";

export function median(values: number[]): number {
    if (values.length === 0) throw new Error("median of nothing");
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function nowMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = nowMs();
    const value = await fn();
    return { ms: nowMs() - start, value };
}

export function timeSync<T>(fn: () => T): { ms: number; value: T } {
    const start = nowMs();
    const value = fn();
    return { ms: nowMs() - start, value };
}

export interface RunResult {
    ms: number;
    code: number | null;
    stdout: string;
    stderr: string;
    /** With `memory: true`, on Linux. */
    memory?: TreeMemory;
}

/** Runs a command to completion and times it from spawn to exit. */
export function runTimed(
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; memory?: boolean } = {},
): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const start = nowMs();
        const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        const memory = options.memory && child.pid !== undefined ? sampleTreeMemory(child.pid) : undefined;
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
        child.once("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ ms: nowMs() - start, code, stdout, stderr, memory: memory?.stop() });
        });
    });
}
