/**
 * The offline preview and `analyze` at scale (issue 13): `rootguard preview` of generated programs beside
 * plain Pulumi mocks on the same program, and `rootguard analyze` of a generated 100 MB stack export. Each run
 * is a fresh process as a user starts it; memory is the largest process's peak resident set (as GNU time
 * reports it), with the whole tree's peak in the note.
 *
 * Per-resource cost is (time at N − time at 0) ÷ N for each side, so start-up (the pack, ts-node, loading
 * @pulumi/aws) counts once rather than being spread over the resources; the raw times are in the note.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { median, runTimed, type RunResult } from "./measure";
import type { BenchOptions } from "./options";
import { offlineEnv } from "./pack-bench";
import { withRatio, type Row, type Skipped } from "./report";
import { writeScaleProgram } from "./scale-program";
import { generateStackExport } from "./stack-export";

const MB = 1024 * 1024;
const PREVIEW_TARGET_RATIO = 1.3;
const MEMORY_TARGET_MB = 1024;
const ANALYZE_TARGET_MS = 30_000;

export interface ScalePlan {
    /** Program sizes for the per-resource cost; the last also gets a memory row. */
    programs: number[];
    exportBytes: number;
}

export function scalePlan(options: BenchOptions): ScalePlan {
    return options.quick ? { programs: [options.resources], exportBytes: 1 * MB } : { programs: [1_000, 5_000], exportBytes: 100 * MB };
}

interface Sample {
    ms: number;
    largestMb: number;
    treeMb: number;
}

function sampleOf(r: RunResult, what: string): Sample {
    // 0 = passed, 1 = mandatory violations (the planted keys): both are a finished run.
    if (r.code !== 0 && r.code !== 1) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim().split("\n")[0] ?? ""}`);
    return { ms: r.ms, largestMb: r.memory?.largestMb ?? 0, treeMb: r.memory?.treeMb ?? 0 };
}

function medianOf(samples: Sample[]): Sample {
    return {
        ms: median(samples.map((s) => s.ms)),
        largestMb: Math.max(...samples.map((s) => s.largestMb)),
        treeMb: Math.max(...samples.map((s) => s.treeMb)),
    };
}

const fmtS = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (mb: number): string => `${mb.toFixed(0)} MB`;

export async function scaleRows(options: BenchOptions): Promise<{ rows: Row[]; skipped: Skipped[] }> {
    const cli = path.join(options.repoRoot, "dist/src/cli/main.js");
    if (!fs.existsSync(cli)) {
        return {
            rows: [],
            skipped: [{ section: "preview", id: "scale", reason: "dist/src/cli/main.js is not built (run `npm run build`)" }],
        };
    }
    const plan = scalePlan(options);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-scale-"));
    try {
        return {
            rows: [...(await previewScaleRows(options, cli, plan, work)), ...(await analyzeScaleRows(options, cli, plan, work))],
            skipped: [],
        };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

async function previewScaleRows(options: BenchOptions, cli: string, plan: ScalePlan, work: string): Promise<Row[]> {
    const env = offlineEnv();
    const plainMocks = path.join(options.repoRoot, "bench/fixtures/plain-mocks.js");
    const sizes = [0, ...plan.programs];
    const preview: Sample[][] = sizes.map(() => []);
    const plain: Sample[][] = sizes.map(() => []);
    for (const n of sizes) writeScaleProgram(path.join(work, `p${n}`), n);
    // Interleaved, so that load swings on a shared machine fall on both sides alike.
    for (let rep = 0; rep < options.repeats; rep++) {
        for (const [i, n] of sizes.entries()) {
            const dir = path.join(work, `p${n}`);
            const timeoutMs = 1_800_000;
            preview[i].push(
                sampleOf(
                    await runTimed(process.execPath, [cli, "preview", dir, "--stack", "bench", "--json"], { env, timeoutMs, memory: true }),
                    `preview of ${n} resources`,
                ),
            );
            plain[i].push(
                sampleOf(
                    await runTimed(process.execPath, [plainMocks, dir, options.repoRoot], { env, timeoutMs, memory: true }),
                    `plain mocks of ${n}`,
                ),
            );
        }
    }
    const p = preview.map(medianOf);
    const b = plain.map(medianOf);
    const rows: Row[] = [];
    plan.programs.forEach((n, k) => {
        const i = k + 1;
        // A quick run's few resources cost less than the noise on start-up: it shows whole-run times instead.
        const perPreview = options.quick ? p[i].ms : (p[i].ms - p[0].ms) / n;
        const perPlain = options.quick ? b[i].ms : (b[i].ms - b[0].ms) / n;
        const row = withRatio({
            section: "preview",
            id: `preview.scale.${options.quick ? "quick" : n}`,
            figure: options.quick
                ? `offline preview of ${n} generated resources, whole run`
                : `offline preview, per-resource cost at ${n.toLocaleString("en")} resources`,
            value: perPreview,
            unit: "ms",
            baseline: { name: "plain Pulumi mocks", value: perPlain },
            note:
                `preview ${fmtS(p[i].ms)} (empty program ${fmtS(p[0].ms)}), plain mocks ${fmtS(b[i].ms)} (${fmtS(b[0].ms)}); ` +
                `peak memory: preview ${fmtMb(p[i].largestMb)} largest process, ${fmtMb(p[i].treeMb)} all processes; plain mocks ${fmtMb(b[i].largestMb)}`,
        });
        if (!options.quick) row.target = { description: `≤ ${PREVIEW_TARGET_RATIO}×`, met: row.ratio <= PREVIEW_TARGET_RATIO };
        rows.push(row);
    });
    const last = plan.programs.length;
    const n = plan.programs[last - 1];
    if (p[last].largestMb > 0) {
        rows.push({
            ...withRatio({
                section: "preview",
                id: "preview.scale.memory",
                figure: `offline preview, peak memory (largest process) at ${n.toLocaleString("en")} resources`,
                value: p[last].largestMb,
                unit: "MB",
                baseline: { name: "plain Pulumi mocks", value: b[last].largestMb },
                note: `all of the preview's processes together: ${fmtMb(p[last].treeMb)}`,
            }),
            target: { description: `< ${MEMORY_TARGET_MB} MB`, met: p[last].largestMb < MEMORY_TARGET_MB },
        });
    }
    return rows;
}

async function analyzeScaleRows(options: BenchOptions, cli: string, plan: ScalePlan, work: string): Promise<Row[]> {
    const env = offlineEnv();
    const generated = generateStackExport(plan.exportBytes);
    const file = path.join(work, "export.json");
    fs.writeFileSync(file, generated.text);
    const size = `${(generated.bytes / MB).toFixed(0)} MB, ${generated.resources.toLocaleString("en")} resources`;
    const runs: Sample[] = [];
    const parse: number[] = [];
    for (let rep = 0; rep < options.repeats; rep++) {
        runs.push(
            sampleOf(
                await runTimed(process.execPath, [cli, "analyze", file, "--json"], { env, timeoutMs: 1_800_000, memory: true }),
                "analyze",
            ),
        );
        // The floor: reading and parsing the same file in a fresh process.
        const floor = await runTimed(process.execPath, ["-e", "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", file], {
            env,
        });
        parse.push(floor.ms);
    }
    const a = medianOf(runs);
    const parseMs = median(parse);
    const time = withRatio({
        section: "preview",
        id: "analyze.scale.time",
        figure: `analyze of a stack export (${size})`,
        value: a.ms,
        unit: "ms",
        baseline: { name: "JSON.parse of the file", value: parseMs },
    });
    time.target = options.quick ? undefined : { description: `< ${ANALYZE_TARGET_MS / 1000} s`, met: a.ms < ANALYZE_TARGET_MS };
    const rows = [time];
    if (a.largestMb > 0) {
        rows.push({
            ...withRatio({
                section: "preview",
                id: "analyze.scale.memory",
                figure: `analyze, peak memory (largest process), ${size}`,
                value: a.largestMb,
                unit: "MB",
                baseline: { name: "export size", value: generated.bytes / MB },
                note: `all of analyze's processes together: ${fmtMb(a.treeMb)}`,
            }),
            target: { description: `< ${MEMORY_TARGET_MB} MB`, met: a.largestMb < MEMORY_TARGET_MB },
        });
    }
    return rows;
}
