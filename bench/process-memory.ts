/**
 * Peak memory of a process and everything it starts (the CLI, the program runner, the policy pack), read from
 * /proc every 50 ms: the largest single process's peak resident set (VmHWM, what GNU time reports as maximum
 * resident set size) and the peak of their sum. Linux only; elsewhere nothing is sampled.
 */
import * as fs from "node:fs";

export interface TreeMemory {
    /** The largest peak resident set of any one process in the tree, MB. */
    largestMb: number;
    /** The peak of the tree's summed resident sets, MB (sampled, so a lower bound). */
    treeMb: number;
}

function children(pid: number): number[] {
    try {
        return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
        return [];
    }
}

function kb(status: string, field: string): number {
    return Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
}

export function sampleTreeMemory(root: number, intervalMs = 50): { stop(): TreeMemory | undefined } {
    if (process.platform !== "linux") return { stop: () => undefined };
    const peaks = new Map<number, number>();
    let tree = 0;
    const sample = (): void => {
        let sum = 0;
        const todo = [root];
        while (todo.length > 0) {
            const pid = todo.pop()!;
            let status: string;
            try {
                status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
            } catch {
                continue;
            }
            sum += kb(status, "VmRSS");
            peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kb(status, "VmHWM")));
            todo.push(...children(pid));
        }
        tree = Math.max(tree, sum);
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            return { largestMb: Math.max(0, ...peaks.values()) / 1024, treeMb: tree / 1024 };
        },
    };
}
