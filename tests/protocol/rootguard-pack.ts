/**
 * The repository root is the real pack; its `main` is compiled JavaScript. Suites use it only once built,
 * and say how to build it instead of testing stale output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./helpers";

export const ROOTGUARD_POLICIES = [
    ["no-hardcoded-aws-credentials", "mandatory"],
    ["aws-provider-static-credentials", "mandatory"],
    ["no-root-credentials", "mandatory"],
    ["no-root-access-key-resource", "mandatory"],
    ["restrict-assume-root", "mandatory"],
    ["root-key-check-coverage", "mandatory"],
    ["scp-root-deny-exempts-assume-root", "advisory"],
] as const;

function newestSource(dirs: string[]): { file: string; mtime: number } {
    let newest = { file: "", mtime: 0 };
    for (const dir of dirs) {
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
            if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
            const file = path.join(entry.parentPath, entry.name);
            const mtime = fs.statSync(file).mtimeMs;
            if (mtime > newest.mtime) newest = { file, mtime };
        }
    }
    return newest;
}

/** Undefined when the pack is built from current sources; otherwise why the suite cannot run (it fails, never skips). */
export function rootguardPackProblem(): { reason: string } | undefined {
    const main = path.join(REPO_ROOT, require(path.join(REPO_ROOT, "package.json")).main as string);
    if (!fs.existsSync(main)) return { reason: `${path.relative(REPO_ROOT, main)} is missing: run \`npm run build\`` };
    const newest = newestSource(["policies", "src/core"]);
    if (newest.mtime > fs.statSync(main).mtimeMs + 1000) {
        return { reason: `${path.relative(REPO_ROOT, newest.file)} is newer than the build: run \`npm run build\`` };
    }
    return undefined;
}
