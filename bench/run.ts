/**
 * `npm run bench`: every figure beside a baseline measured in the same run, printed as a table and written
 * to bench/results.json. `--quick` or ROOTGUARD_BENCH_N=<n> runs a tiny-N version for the smoke test.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureAwsguard } from "./awsguard";
import { corpusRows } from "./corpus-bench";
import { type BenchOptions, parseOptions, type Section } from "./options";
import { packDirs, startupRows, throughputRows } from "./pack-bench";
import { previewRows } from "./preview-bench";
import { remediatorRows } from "./remediator-bench";
import { remediatorCycleRows } from "./remediator-cycle-bench";
import { formatTable, type Results } from "./report";
import { scanRows } from "./scan-bench";

/** Every chosen section, measured; progress lines go to `say` (stderr), never to stdout. */
export async function runBench(
    options: BenchOptions,
    say: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<Results> {
    const cpus = os.cpus();
    const results: Results = {
        meta: {
            date: new Date().toISOString(),
            node: process.version,
            platform: `${process.platform}-${process.arch}`,
            cpus: cpus.length,
            cpuModel: cpus[0]?.model.trim() ?? "unknown",
            quick: options.quick,
            resources: options.resources,
            starts: options.starts,
            repeats: options.repeats,
        },
        rows: [],
        skipped: [],
    };
    const packMain = path.join(options.repoRoot, require(path.join(options.repoRoot, "package.json")).main as string);
    const step = (name: string) => say(`bench: ${name}…`);
    const on = (s: Section) => options.sections.has(s);
    /** A section that starts the built pack: skipped, with the reason, when it is not built. */
    const withPack = (s: "pack" | "corpus") => {
        if (!on(s)) return false;
        if (fs.existsSync(packMain)) return true;
        const reason = `${path.relative(options.repoRoot, packMain)} is not built (run \`npm run build\`)`;
        results.skipped.push({ section: s, id: s, reason });
        return false;
    };
    if (withPack("pack")) {
        const awsguard = await ensureAwsguard(options.repoRoot, { install: options.install, say });
        if ("reason" in awsguard) results.skipped.push({ section: "pack", id: "pack.analyze.vs-awsguard", reason: awsguard.reason });
        const dirs = packDirs(options.repoRoot, "dir" in awsguard ? awsguard.dir : undefined);
        step("pack start-up");
        results.rows.push(...(await startupRows(options, dirs)));
        step(`Analyze throughput (${options.resources} resources × ${dirs.awsguard ? 3 : 2} packs)`);
        results.rows.push(...(await throughputRows(options, dirs)));
    }
    if (on("scan")) {
        step("credential scanning");
        results.rows.push(...scanRows(options));
    }
    if (withPack("corpus")) {
        step("credential corpus (rootguard pack beside other scanners' AWS rules)");
        const corpus = await corpusRows(packDirs(options.repoRoot).rootguard);
        results.rows.push(...corpus.rows);
        (results.tables ??= []).push(corpus.table);
    }
    if (on("preview")) {
        step("offline preview");
        const preview = await previewRows(options);
        results.rows.push(...preview.rows);
        results.skipped.push(...preview.skipped);
    }
    if (on("remediator")) {
        step("remediator bundle");
        const remediator = await remediatorRows(options);
        results.rows.push(...remediator.rows);
        results.skipped.push(...remediator.skipped);
        step("remediator cycle (simulated organization)");
        results.rows.push(...(await remediatorCycleRows(options)));
    }
    return results;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2), process.env);
    const results = await runBench(options);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${formatTable(results)}\nwrote ${path.relative(process.cwd(), options.out) || options.out}\n`);
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    });
}
