/**
 * In-process timing of `--from` rendering (read, parse, validate, render, write), median of runs:
 * `node -r ts-node/register/transpile-only tests/cli/compliance-tools/measure.ts report.json [runs]`.
 * Not a test: timings belong in the closing note, not in assertions.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runCompliance, type ComplianceDeps } from "../../../src/cli/compliance/command";
import { Capture, testDeps } from "../compliance-helpers";

async function main(): Promise<void> {
    const [file, runsArg = "7"] = process.argv.slice(2);
    const runs = Number(runsArg);
    const html = join(tmpdir(), `rootguard-measure-${process.pid}.html`);
    const cases: [string, Parameters<typeof runCompliance>[0], Partial<ComplianceDeps>][] = [
        ["table (no colour)", { from: file }, {}],
        ["table (colour)", { from: file }, { stdout: new Capture(true) }],
        ["json", { from: file, json: true }, {}],
        ["html", { from: file, html }, {}],
    ];
    for (const [name, opts, extra] of cases) {
        const times: number[] = [];
        let evaluations = 0;
        for (let i = 0; i < runs; i++) {
            const deps = testDeps({ ...extra, stdout: new Capture((extra.stdout as Capture | undefined)?.isTTY ?? false) });
            const t0 = performance.now();
            const report = await runCompliance(opts, deps);
            times.push(performance.now() - t0);
            evaluations = report.summary.evaluations;
        }
        times.sort((a, b) => a - b);
        console.log(
            `${name}: median ${times[Math.floor(runs / 2)].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[runs - 1].toFixed(0)}) over ${runs} runs, ${evaluations} evaluations`,
        );
    }
}

main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
