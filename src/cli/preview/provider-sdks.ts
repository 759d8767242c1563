/**
 * Which copy of each Pulumi package a program runs on. `@pulumi/pulumi` is always rootguard's (the mocks live
 * there). Any other `@pulumi/*` package comes from the program's own installation when it has one, otherwise
 * from rootguard's (module-redirect.ts, esm-loader.ts). When rootguard's copy stands in for another major version
 * than the program's package.json asks for, the user is told before the program runs and again if it fails.
 */
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import type { ProgramEntry } from "./program-entry";

export interface SdkSubstitution {
    pkg: string;
    /** The range the program's package.json asks for. */
    wanted: string;
    /** The version rootguard used instead. */
    used: string;
}

function versionAt(manifest: string | undefined): string | undefined {
    if (!manifest) return undefined;
    try {
        const version: unknown = JSON.parse(fs.readFileSync(manifest, "utf8")).version;
        return typeof version === "string" ? version : undefined;
    } catch {
        return undefined;
    }
}

function resolveManifest(pkg: string, from: string): string | undefined {
    try {
        return require.resolve(`${pkg}/package.json`, { paths: [from] });
    } catch {
        return undefined;
    }
}

function dependencies(pkg: Record<string, unknown>): [string, string][] {
    const out: [string, string][] = [];
    for (const field of ["dependencies", "devDependencies"]) {
        const deps = pkg[field];
        if (deps === null || typeof deps !== "object") continue;
        for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
            if (typeof range === "string") out.push([name, range]);
        }
    }
    return out;
}

/** The Pulumi packages for which rootguard's copy is used although package.json asks for another major version. */
export function sdkSubstitutions(entry: ProgramEntry, rootguardRoot: string): SdkSubstitution[] {
    const from = entry.packageRoot ?? path.dirname(entry.path);
    const ours = path.resolve(rootguardRoot) + path.sep;
    const out: SdkSubstitution[] = [];
    for (const [pkg, wanted] of dependencies(entry.packageJson)) {
        if (!pkg.startsWith("@pulumi/")) continue;
        const range = semver.validRange(wanted);
        if (range === null) continue; // a tag, path or URL: nothing to compare
        const ownManifest = pkg === "@pulumi/pulumi" ? undefined : resolveManifest(pkg, from);
        const manifest = ownManifest ?? resolveManifest(pkg, rootguardRoot);
        if (!manifest || !path.resolve(manifest).startsWith(ours)) continue; // the program's own copy
        const used = versionAt(manifest);
        // Pinning another release of the same major is common and harmless; another major changes the API.
        const lowest = semver.minVersion(range);
        if (used && lowest && semver.valid(used) && lowest.major !== semver.major(used)) out.push({ pkg, wanted, used });
    }
    return out;
}

export function substitutionNotice(s: SdkSubstitution, programDir: string): string {
    const run = s.pkg === "@pulumi/pulumi" ? "" : `; run \`npm install\` in ${programDir} to preview with the program's own`;
    return `package.json asks for ${s.pkg} ${s.wanted}, but the program runs on rootguard's ${s.pkg} ${s.used}${run}`;
}
