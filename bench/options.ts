/**
 * How big a run is. The full run is what the README's figures come from; `--quick` (or ROOTGUARD_BENCH_N)
 * is a tiny-N run that exercises every code path in seconds, for the smoke test.
 */
import * as path from "node:path";

export interface BenchOptions {
    quick: boolean;
    /** Resources sent through Analyze per pack. */
    resources: number;
    /** Pack starts per pack for the start-up median. */
    starts: number;
    /** Repetitions for the scan, preview and require timings (median taken). */
    repeats: number;
    /** Bytes of the largest scan input at 1× (the "10 MB template string"). */
    templateBytes: number;
    envEntries: number;
    nestLevels: number;
    out: string;
    repoRoot: string;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
    const repoRoot = path.resolve(__dirname, "..");
    const fromEnv = env.ROOTGUARD_BENCH_N ? Number(env.ROOTGUARD_BENCH_N) : undefined;
    if (fromEnv !== undefined && (!Number.isInteger(fromEnv) || fromEnv < 1)) {
        throw new Error(`ROOTGUARD_BENCH_N must be a positive integer, not ${JSON.stringify(env.ROOTGUARD_BENCH_N)}`);
    }
    const quick = argv.includes("--quick") || fromEnv !== undefined;
    const outIndex = argv.indexOf("--out");
    const out = outIndex >= 0 && argv[outIndex + 1] ? path.resolve(argv[outIndex + 1]) : path.join(repoRoot, "bench/results.json");
    const unknown = argv.filter((a, i) => a.startsWith("--") && a !== "--quick" && a !== "--out" && argv[i - 1] !== "--out");
    if (unknown.length) throw new Error(`unknown option ${unknown[0]}; usage: bench/run.ts [--quick] [--out FILE]`);
    return quick
        ? { quick, resources: fromEnv ?? 20, starts: 2, repeats: 1, templateBytes: 100_000, envEntries: 1_000, nestLevels: 200, out, repoRoot }
        : { quick, resources: 2_000, starts: 7, repeats: 3, templateBytes: 10 * 1024 * 1024, envEntries: 100_000, nestLevels: 200, out, repoRoot };
}
