/**
 * Pulumi's @pulumi/awsguard, the Analyze-rate baseline. It drags in @pulumi/aws 4.x and aws-sdk v2 (~140 MB), so
 * it is not in rootguard's own install: the bench installs it on demand into bench/awsguard-pack/ with `npm ci` from
 * that folder's own lockfile (pinned to the same @pulumi/policy and @pulumi/pulumi as rootguard, so the
 * comparison measures policies, not SDK versions), and says so when it does.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// Not "bench/awsguard": run-policy-pack requires the pack directory by path, and with ts-node registered Node
// tries `bench/awsguard.ts` (this file) before the directory's package.json.
export const AWSGUARD_FOLDER = "bench/awsguard-pack";

/** Runs `npm ci` in `dir`, its output on our stderr (stdout carries the bench's table). */
export type Installer = (dir: string) => Promise<void>;

export type AwsguardPack = { dir: string } | { reason: string };

export function awsguardDir(repoRoot: string): string {
    return path.join(repoRoot, AWSGUARD_FOLDER);
}

export function awsguardInstalled(dir: string): boolean {
    return fs.existsSync(path.join(dir, "node_modules/@pulumi/awsguard/package.json"));
}

export const npmCi: Installer = (dir) =>
    new Promise((resolve, reject) => {
        // Under `npm run bench`, the npm that started us; otherwise the one on PATH.
        const npmCli = process.env.npm_execpath;
        const [command, args] = npmCli?.endsWith(".js")
            ? [process.execPath, [npmCli, "ci", "--no-audit", "--no-fund"]]
            : ["npm", ["ci", "--no-audit", "--no-fund"]];
        const child = spawn(command, args, { cwd: dir, stdio: ["ignore", process.stderr, process.stderr] });
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`npm ci in ${dir} exited with code ${code}`))));
    });

/**
 * The awsguard pack directory, installed first when it is not and `install` allows it; otherwise why the
 * comparison cannot run. A failed install is a reason too: the bench's other figures still get measured.
 */
export async function ensureAwsguard(
    repoRoot: string,
    options: { install: boolean; say: (line: string) => void; installer?: Installer },
): Promise<AwsguardPack> {
    const dir = awsguardDir(repoRoot);
    if (awsguardInstalled(dir)) return { dir };
    if (!options.install) {
        return { reason: `@pulumi/awsguard is not installed in ${AWSGUARD_FOLDER} (run the bench without --no-install to install it)` };
    }
    options.say(
        `bench: installing the comparison pack @pulumi/awsguard into ${AWSGUARD_FOLDER}/node_modules ` +
            `(npm ci from ${AWSGUARD_FOLDER}/package-lock.json, about 250 MB, once; rootguard's own install leaves it out)…`,
    );
    try {
        await (options.installer ?? npmCi)(dir);
    } catch (err) {
        return { reason: `installing @pulumi/awsguard failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!awsguardInstalled(dir)) return { reason: `npm ci in ${AWSGUARD_FOLDER} finished but @pulumi/awsguard is not there` };
    options.say(`bench: installed @pulumi/awsguard in ${AWSGUARD_FOLDER}`);
    return { dir };
}
