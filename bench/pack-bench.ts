/**
 * What `pulumi preview --policy-pack` waits for: the pack's start (spawn → port printed) and its Analyze
 * rate over gRPC, for rootguard beside the trivial one-policy pack and Pulumi's awsguard (installed on demand,
 * bench/awsguard.ts), all started the same way through the engine client.
 */
import * as os from "node:os";
import * as path from "node:path";
import { startPack, type PackClient, type ResourceInput } from "../src/engine";
import { spawnPack } from "../src/engine/pack-process";
import { median, timeAsync } from "./measure";
import type { BenchOptions } from "./options";
import { withRatio, type Row } from "./report";
import { generateResources } from "./resources";

const WARMUP = 25;

export interface PackDirs {
    rootguard: string;
    trivial: string;
    /** Absent when @pulumi/awsguard is not installed (bench/awsguard.ts): the comparison with it is skipped. */
    awsguard?: string;
}

export function packDirs(repoRoot: string, awsguard?: string): PackDirs {
    return { rootguard: repoRoot, trivial: path.join(repoRoot, "tests/fixtures/trivial-pack"), awsguard };
}

/**
 * The caller's environment without any AWS credential source (no AWS_* variables, no config files, no
 * instance metadata), plus `extra`: a bench must never call real AWS or wait on a network timeout, and a
 * test's pack sees only what the test gives it.
 */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
    const nowhere = path.join(os.tmpdir(), "rootguard-bench-no-aws-config");
    return {
        ...env,
        AWS_CONFIG_FILE: nowhere,
        AWS_SHARED_CREDENTIALS_FILE: nowhere,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: "us-east-1",
        ...extra,
    };
}

/** Spawn → port printed, nothing else: the wait before the engine can send its first request. */
async function startTime(dir: string): Promise<number> {
    const { ms, value } = await timeAsync(() => spawnPack(dir, { env: offlineEnv() }));
    await value.kill();
    return ms;
}

/** Interleaved so that machine noise falls on both packs alike. */
export async function startupRows(options: BenchOptions, dirs: PackDirs): Promise<Row[]> {
    const rootguard: number[] = [];
    const trivial: number[] = [];
    for (let i = 0; i < options.starts; i++) {
        trivial.push(await startTime(dirs.trivial));
        rootguard.push(await startTime(dirs.rootguard));
    }
    const value = median(rootguard);
    const base = median(trivial);
    return [
        withRatio({
            section: "pack",
            id: "pack.startup",
            figure: `pack start-up, median of ${options.starts}`,
            value,
            unit: "ms",
            baseline: { name: "trivial pack", value: base },
            target: { description: "≤ 1.3×", met: value / base <= 1.3 },
        }),
    ];
}

interface Throughput {
    startMs: number;
    analyzeMs: number;
    perSecond: number;
    diagnostics: number;
    stackMs: number;
}

const CHUNK = 100;

/**
 * All three packs run at once and take turns, a chunk of resources each, in rotating order: on a shared machine
 * load comes and goes, and the client's own warm-up would otherwise fall on whichever pack went first.
 */
async function interleavedThroughput(dirs: string[], resources: ResourceInput[]): Promise<Throughput[]> {
    const packs: PackClient[] = [];
    const results: Throughput[] = [];
    try {
        for (const dir of dirs) {
            const started = await timeAsync(() => startPack(dir, { env: offlineEnv() }));
            packs.push(started.value);
            results.push({ startMs: started.ms, analyzeMs: 0, perSecond: 0, diagnostics: 0, stackMs: 0 });
        }
        for (const pack of packs) {
            await pack.info();
            await pack.configure();
            // JIT warm-up, the same for every pack; a real preview analyzes far more resources than this.
            for (const r of resources.slice(0, Math.min(WARMUP, resources.length))) await pack.analyze(r);
        }
        for (let from = 0, round = 0; from < resources.length; from += CHUNK, round++) {
            const chunk = resources.slice(from, from + CHUNK);
            for (let k = 0; k < packs.length; k++) {
                const i = (round + k) % packs.length;
                // One at a time, awaiting each answer: the engine analyzes a resource before registering it.
                const { ms, value } = await timeAsync(async () => {
                    let n = 0;
                    for (const r of chunk) n += (await packs[i].analyze(r)).length;
                    return n;
                });
                results[i].analyzeMs += ms;
                results[i].diagnostics += value;
            }
        }
        for (let k = 0; k < packs.length; k++) {
            const i = (k + 1) % packs.length;
            results[i].stackMs = (await timeAsync(() => packs[i].analyzeStack(resources))).ms;
        }
        for (const r of results) r.perSecond = (resources.length / r.analyzeMs) * 1000;
        return results;
    } finally {
        await Promise.all(packs.map((p) => p.close()));
    }
}

export async function throughputRows(options: BenchOptions, dirs: PackDirs): Promise<Row[]> {
    const resources = generateResources(options.resources);
    const order = dirs.awsguard ? [dirs.trivial, dirs.awsguard, dirs.rootguard] : [dirs.trivial, dirs.rootguard];
    const measured = await interleavedThroughput(order, resources);
    const [trivial, rootguard] = [measured[0], measured[measured.length - 1]];
    const awsguard = dirs.awsguard ? measured[1] : undefined;
    const n = resources.length;
    // The trivial pack's time is the floor every pack pays (gRPC, protobuf, the SDK's deserialize and proxy).
    const above = (t: Throughput) => ((t.analyzeMs - trivial.analyzeMs) / n).toFixed(3);
    const rows: Row[] = [];
    if (awsguard) {
        rows.push(
            withRatio({
                section: "pack",
                id: "pack.analyze.vs-awsguard",
                figure: `Analyze rate, ${n} resources`,
                value: rootguard.perSecond,
                unit: "res/s",
                baseline: { name: "awsguard", value: awsguard.perSecond },
                target: { description: "≥ 2×", met: rootguard.perSecond / awsguard.perSecond >= 2 },
                note:
                    `per-resource cost above the trivial pack's floor: rootguard ${above(rootguard)} ms, awsguard ${above(awsguard)} ms; ` +
                    `diagnostics: rootguard ${rootguard.diagnostics}, awsguard ${awsguard.diagnostics}, trivial ${trivial.diagnostics}; awsguard start ${awsguard.startMs.toFixed(0)} ms`,
            }),
        );
    }
    rows.push(
        withRatio({
            section: "pack",
            id: "pack.analyze.vs-trivial",
            figure: `Analyze time, ${n} resources`,
            value: rootguard.analyzeMs,
            unit: "ms",
            baseline: { name: "trivial pack", value: trivial.analyzeMs },
            target: { description: "≤ 1.2×", met: rootguard.analyzeMs / trivial.analyzeMs <= 1.2 },
        }),
        withRatio({
            section: "pack",
            id: "pack.analyze-stack",
            figure: `AnalyzeStack, ${n} resources`,
            value: rootguard.stackMs,
            unit: "ms",
            baseline: { name: "trivial pack", value: trivial.stackMs },
            note: "no-root-credentials runs with no AWS credentials (offline): STS is not reachable, so it takes the unverified path",
        }),
    );
    return rows;
}
