/**
 * The remediator Lambda's weight: bundle size and cold `require` time of the bundle the stack deploys,
 * beside a trivial handler bundled the same way (what any Node.js Lambda costs).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { median, runTimed } from "./measure";
import type { BenchOptions } from "./options";
import { withRatio, type Row, type Skipped } from "./report";

const HANDLER = "src/remediator/handler.ts";
const TRIVIAL_HANDLER = "bench/fixtures/trivial-handler.ts";
const BUNDLER = "stacks/remediator-bundle.ts";

type Bundle = (options: { root?: string; entry?: string }) => string;

/** The stack's own bundler, so the figure is the deployed artifact's, not an approximation of it. */
function loadBundler(repoRoot: string): Bundle {
    return require(path.join(repoRoot, BUNDLER)).bundleRemediator as Bundle;
}

/** Time to require the bundle in a fresh process, measured inside it so process start is not counted. */
async function coldRequireMs(file: string): Promise<number> {
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    const r = await runTimed(process.execPath, ["-e", script], { cwd: path.dirname(file) });
    if (r.code !== 0) throw new Error(`requiring ${path.basename(file)} failed: ${r.stderr.trim().split("\n")[0]}`);
    return Number(r.stdout);
}

export async function remediatorRows(options: BenchOptions): Promise<{ rows: Row[]; skipped: Skipped[] }> {
    const root = options.repoRoot;
    for (const needed of [HANDLER, BUNDLER]) {
        if (!fs.existsSync(path.join(root, needed))) {
            return { rows: [], skipped: [{ section: "remediator", id: "remediator", reason: `${needed} does not exist yet` }] };
        }
    }
    const bundle = loadBundler(root);
    const real = bundle({ root, entry: HANDLER });
    const trivial = bundle({ root, entry: TRIVIAL_HANDLER });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-bench-remediator-"));
    try {
        // Outside the repository, so a bundle that forgot a dependency fails instead of finding node_modules.
        const realFile = path.join(dir, "real", "index.js");
        const trivialFile = path.join(dir, "trivial", "index.js");
        for (const [file, text] of [
            [realFile, real],
            [trivialFile, trivial],
        ] as const) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
        }
        const realMs: number[] = [];
        const trivialMs: number[] = [];
        const runs = Math.max(options.repeats, options.quick ? 1 : 5);
        for (let i = 0; i < runs; i++) {
            trivialMs.push(await coldRequireMs(trivialFile));
            realMs.push(await coldRequireMs(realFile));
        }
        const kb = (s: string) => Buffer.byteLength(s) / 1024;
        const gzKb = (s: string) => gzipSync(s).length / 1024;
        return {
            rows: [
                withRatio({
                    section: "remediator",
                    id: "remediator.bundle-size",
                    figure: "remediator bundle (minified)",
                    value: kb(real),
                    unit: "KiB",
                    baseline: { name: "trivial handler", value: kb(trivial) },
                    note: `gzip ${gzKb(real).toFixed(0)} KiB (trivial ${gzKb(trivial).toFixed(1)} KiB)`,
                }),
                withRatio({
                    section: "remediator",
                    id: "remediator.cold-require",
                    figure: `remediator cold require, median of ${runs}`,
                    value: median(realMs),
                    unit: "ms",
                    baseline: { name: "trivial handler", value: median(trivialMs) },
                }),
            ],
            skipped: [],
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
