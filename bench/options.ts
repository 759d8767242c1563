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
    /** Sections to run; all when `--only` is not given. */
    sections: ReadonlySet<Section>;
    /** Install the comparison pack (@pulumi/awsguard) when missing; `--no-install` skips that comparison instead. */
    install: boolean;
}

/** `scan` runs in the bench's own process; `corpus` (the labelled corpus through the pack) and the others start processes. */
export const SECTIONS = ["pack", "scan", "corpus", "preview", "remediator"] as const;
export type Section = (typeof SECTIONS)[number];

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
    const repoRoot = path.resolve(__dirname, "..");
    const fromEnv = env.ROOTGUARD_BENCH_N ? Number(env.ROOTGUARD_BENCH_N) : undefined;
    if (fromEnv !== undefined && (!Number.isInteger(fromEnv) || fromEnv < 1)) {
        throw new Error(`ROOTGUARD_BENCH_N must be a positive integer, not ${JSON.stringify(env.ROOTGUARD_BENCH_N)}`);
    }
    const quick = argv.includes("--quick") || fromEnv !== undefined;
    const valueOf = (flag: string) => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const outArg = valueOf("--out");
    const out = outArg ? path.resolve(outArg) : path.join(repoRoot, "bench/results.json");
    const only = valueOf("--only");
    const sections = new Set<Section>(only ? (only.split(",") as Section[]) : SECTIONS);
    const bad = [...sections].filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (bad.length) throw new Error(`--only takes ${SECTIONS.join(", ")}; not ${bad.join(", ")}`);
    const flags = ["--quick", "--no-install", "--out", "--only"];
    const unknown = argv.filter((a, i) => a.startsWith("--") && !flags.includes(a) && !["--out", "--only"].includes(argv[i - 1]));
    if (unknown.length)
        throw new Error(
            `unknown option ${unknown[0]}; usage: bench/run.ts [--quick] [--no-install] [--only ${SECTIONS.join(",")}] [--out FILE]`,
        );
    const common = { quick, out, repoRoot, sections, nestLevels: 200, install: !argv.includes("--no-install") };
    return quick
        ? { ...common, resources: fromEnv ?? 20, starts: 1, repeats: 1, templateBytes: 100_000, envEntries: 1_000 }
        : { ...common, resources: 2_000, starts: 7, repeats: 3, templateBytes: 10 * 1024 * 1024, envEntries: 100_000 };
}
