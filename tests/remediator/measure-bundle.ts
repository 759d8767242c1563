/**
 * Figures for the README: size of the deployed remediator bundle (the stack's own esbuild packaging, so
 * there is one bundler) and the median time to `require` it in fresh node processes. Prints JSON:
 *   node -r ts-node/register/transpile-only tests/remediator/measure-bundle.ts
 * `npm run bench` measures the same artifact beside a trivial handler.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { bundleRemediator } from "../../stacks/remediator-bundle";

/** The bundle written outside the repository, so a missing dependency fails instead of resolving locally. */
export function writeBundle(): { file: string; bytes: number; gzipBytes: number; cleanup: () => void } {
    const text = bundleRemediator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-remediator-"));
    const file = path.join(dir, "index.js");
    fs.writeFileSync(file, text);
    return {
        file,
        bytes: Buffer.byteLength(text),
        gzipBytes: gzipSync(text).length,
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

export function coldRequireMs(file: string, runs = 9): number[] {
    const script = `const t=process.hrtime.bigint();const m=require(${JSON.stringify(file)});const ms=Number(process.hrtime.bigint()-t)/1e6;if(typeof m.handler!=="function")throw new Error("no handler export");process.stdout.write(String(ms));`;
    return Array.from({ length: runs }, () =>
        Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } })),
    );
}

if (require.main === module) {
    const b = writeBundle();
    try {
        const samples = coldRequireMs(b.file);
        const sorted = [...samples].sort((x, y) => x - y);
        console.log(
            JSON.stringify(
                {
                    bundleKiB: +(b.bytes / 1024).toFixed(1),
                    gzipKiB: +(b.gzipBytes / 1024).toFixed(1),
                    coldRequireMedianMs: +sorted[Math.floor(sorted.length / 2)].toFixed(1),
                    coldRequireMinMs: +sorted[0].toFixed(1),
                    samplesMs: samples.map((s) => +s.toFixed(1)),
                    node: process.version,
                    loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
                    cpus: os.cpus().length,
                },
                null,
                2,
            ),
        );
    } finally {
        b.cleanup();
    }
}
