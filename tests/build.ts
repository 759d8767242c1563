/**
 * The compiled output the suites run (the pack's `main`, the CLI, the compiled stack), rebuilt the way
 * `npm install` builds it whenever a source is newer, so a stale dist/ can never hide a change.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..");
const OUTPUTS = ["dist/policies/index.js", "dist/src/cli/main.js", "dist/stacks/index.js"].map((f) => path.join(REPO_ROOT, f));
const SOURCES = ["src", "policies", "stacks"];

let fresh = false;

function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith(".ts"))
            newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

export function ensureBuilt(): void {
    if (fresh) return;
    const sources = Math.max(...SOURCES.map(newestSource));
    if (!OUTPUTS.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources)) {
        // tsc emits even when files elsewhere in the tree have type errors; the check is `npm run typecheck`.
        spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: REPO_ROOT });
    }
    for (const f of OUTPUTS)
        if (!fs.existsSync(f)) throw new Error(`build did not produce ${path.relative(REPO_ROOT, f)}: run \`npm run build\``);
    fresh = true;
}
