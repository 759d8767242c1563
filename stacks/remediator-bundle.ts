/**
 * Packages the remediator Lambda while the program runs. The archive must be byte-identical for unchanged
 * source, or every preview shows a code diff: esbuild runs with the repository root as working directory, no
 * source map, no metafile and no legal comments, so the output holds no absolute path and no timestamp.
 *
 * The AWS SDK v3 clients are bundled, not left external: the Lambda runtime ships an SDK too, but its version
 * moves under us; the pinned one in package-lock.json is what the remediator's tests ran against.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { rootguardRoot } from "../src/core/package-root";

export const REMEDIATOR_ENTRY = "src/remediator/handler.ts";
/** The Lambda runtime loads `index.js` and calls its `handler` export. */
export const REMEDIATOR_HANDLER = "index.handler";
/** esbuild's target: the Node.js of the Lambda runtime the function is deployed on (a test ties the two). */
export const REMEDIATOR_NODE_TARGET = "node24";

export interface BundleOptions {
    /** Repository root; found from this file when omitted. */
    root?: string;
    /** Entry point relative to the root. */
    entry?: string;
}

/** The bundled handler as JavaScript text. */
export function bundleRemediator(options: BundleOptions = {}): string {
    const root = options.root ?? rootguardRoot();
    const entry = options.entry ?? REMEDIATOR_ENTRY;
    if (!fs.existsSync(path.join(root, entry))) {
        throw new Error(`rootguard: the remediator entry ${entry} does not exist under ${root}`);
    }
    // Loaded lazily: a program that only reuses other components never pays for esbuild.
    const esbuild: typeof import("esbuild") = require("esbuild");
    const result = esbuild.buildSync({
        absWorkingDir: root,
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        target: REMEDIATOR_NODE_TARGET,
        format: "cjs",
        minify: true,
        sourcemap: false,
        legalComments: "none",
        charset: "utf8",
        write: false,
        // Only names the in-memory output; nothing is written.
        outfile: "index.js",
        metafile: false,
        logLevel: "silent",
        // Powertools and the SDK read these at run time; bundling keeps both pinned.
        mainFields: ["module", "main"],
    });
    if (result.errors.length > 0) {
        throw new Error(`rootguard: bundling ${entry} failed: ${result.errors.map((e) => e.text).join("; ")}`);
    }
    const file = result.outputFiles.find((f) => path.basename(f.path) === "index.js");
    if (!file) throw new Error(`rootguard: bundling ${entry} produced no JavaScript`);
    return file.text;
}

const bundled = new Map<string, string>();

/**
 * The deployable archive: one `index.js`, exporting `handler`. The text is bundled once per process and entry
 * (a program run is one process; tests that run the program many times share it).
 */
export function remediatorArchive(options: BundleOptions = {}): pulumi.asset.AssetArchive {
    const root = options.root ?? rootguardRoot();
    const entry = options.entry ?? REMEDIATOR_ENTRY;
    const key = path.join(root, entry);
    let code = bundled.get(key);
    if (code === undefined) {
        code = bundleRemediator({ root, entry });
        bundled.set(key, code);
    }
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(code) });
}
