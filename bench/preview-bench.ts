/**
 * Offline preview wall time (`rootguard preview <dir> --json`, a fresh process as a user runs it) for the
 * guardrail stack and each Node.js example, beside the same CLI doing nothing but start (`--version`).
 */

/** The offline preview runs Node.js programs only; the component package's Python and YAML examples are not. */
function isNodeProgram(projectFile: string): boolean {
    const runtime = parseYaml(fs.readFileSync(projectFile, "utf8"))?.runtime;
    return (typeof runtime === "string" ? runtime : runtime?.name) === "nodejs";
}
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { median, runTimed } from "./measure";
import type { BenchOptions } from "./options";
import { offlineEnv } from "./pack-bench";
import { withRatio, type Row, type Skipped } from "./report";
import { scaleRows } from "./scale-bench";

export function previewTargets(repoRoot: string): { id: string; label: string; dir: string; args?: string[] }[] {
    const targets: { id: string; label: string; dir: string; args?: string[] }[] = [];
    // The guardrail stack needs a stack file (rootguard:createRecorder is required): its example account stack.
    if (fs.existsSync(path.join(repoRoot, "Pulumi.yaml")))
        targets.push({ id: "preview.guardrail-stack", label: "guardrail stack", dir: repoRoot, args: ["--stack", "example-account"] });
    const examples = path.join(repoRoot, "examples");
    if (fs.existsSync(examples)) {
        for (const name of fs.readdirSync(examples).sort()) {
            const dir = path.join(examples, name);
            const project = path.join(dir, "Pulumi.yaml");
            if (fs.existsSync(project) && isNodeProgram(project))
                targets.push({ id: `preview.example.${name}`, label: `example ${name}`, dir });
        }
    }
    return targets;
}

export async function previewRows(options: BenchOptions): Promise<{ rows: Row[]; skipped: Skipped[] }> {
    const cli = path.join(options.repoRoot, "dist/src/cli/main.js");
    if (!fs.existsSync(cli)) {
        return {
            rows: [],
            skipped: [{ section: "preview", id: "preview", reason: "dist/src/cli/main.js is not built (run `npm run build`)" }],
        };
    }
    const targets = previewTargets(options.repoRoot);
    if (targets.length === 0)
        return { rows: [], skipped: [{ section: "preview", id: "preview", reason: "no Pulumi.yaml at the root or under examples/" }] };
    // Quick mode proves the path works on one target; the full run times them all.
    const chosen = options.quick ? targets.slice(0, 1) : targets;
    const env = offlineEnv();
    const baseRuns: number[] = [];
    for (let i = 0; i < options.repeats; i++) baseRuns.push((await runTimed(process.execPath, [cli, "--version"], { env })).ms);
    const base = median(baseRuns);
    const rows: Row[] = [];
    const skipped: Skipped[] = [];
    for (const t of chosen) {
        const runs: number[] = [];
        let verdict = "";
        let failure: string | undefined;
        for (let i = 0; i < options.repeats && !failure; i++) {
            const r = await runTimed(process.execPath, [cli, "preview", t.dir, ...(t.args ?? []), "--json"], {
                cwd: t.dir,
                env,
                timeoutMs: 600_000,
            });
            // 0 = clean, 1 = mandatory violations (the leaky example); anything else is a failed preview.
            if (r.code !== 0 && r.code !== 1) {
                failure = `exit ${r.code}: ${r.stderr.trim().split("\n")[0] ?? ""}`;
                break;
            }
            runs.push(r.ms);
            try {
                const s = JSON.parse(r.stdout).summary;
                verdict = `${s.resources} resources, ${s.mandatory} mandatory, ${s.advisory} advisory`;
            } catch {
                verdict = "output was not the JSON report";
            }
        }
        if (failure) {
            skipped.push({ section: "preview", id: t.id, reason: `preview failed (${failure.slice(0, 200)})` });
            continue;
        }
        rows.push(
            withRatio({
                section: "preview",
                id: t.id,
                figure: `offline preview, ${t.label}`,
                value: median(runs),
                unit: "ms",
                baseline: { name: "rootguard --version", value: base },
                note: verdict,
            }),
        );
    }
    if (options.quick && targets.length > 1)
        skipped.push({ section: "preview", id: "preview.others", reason: `quick run timed only ${chosen[0].label}` });
    const scale = await scaleRows(options);
    return { rows: [...rows, ...scale.rows], skipped: [...skipped, ...scale.skipped] };
}
