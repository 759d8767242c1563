/**
 * ES-module programs (`"type": "module"`), loaded as Pulumi's Node.js host loads them in its "automatic ESM mode"
 * (pulumi/pulumi sdk/nodejs/cmd/run/run.ts and hooks.ts): ts-node's ESM hooks, registered through
 * `module.register`, with `target: ES2022, module: nodenext, moduleResolution: nodenext, sourceMap: true` under the
 * program's own tsconfig compiler options. Transpile-only, as for CommonJS programs.
 *
 * The hooks also keep the module graph on rootguard's runtime, as `redirectPulumiModules` does for `require`:
 * `@pulumi/pulumi` always resolves to rootguard's copy (the one the mocks are installed on), and any other
 * `@pulumi/*` package the program folder does not have resolves from rootguard's installation.
 */
import * as fs from "fs";
import * as path from "path";

// Runs in the loader thread, so it is plain JavaScript handed over as a data: URL (no file to ship or compile).
const HOOKS = `
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
let hooks;
let fromRoot;
export async function initialize(data) {
    const require = createRequire(data.anchor);
    const tsNode = require("ts-node");
    hooks = tsNode.createEsmHooks(tsNode.register(data.options));
    fromRoot = (specifier) => pathToFileURL(require.resolve(specifier)).href;
}
const ours = (s) => s === "@pulumi/pulumi" || s.startsWith("@pulumi/pulumi/");
export async function resolve(specifier, context, next) {
    if (ours(specifier)) return { url: fromRoot(specifier), shortCircuit: true };
    try {
        return await hooks.resolve(specifier, context, next);
    } catch (err) {
        // ts-node's copy of Node's resolver throws without a code.
        const notFound = err && (err.code === "ERR_MODULE_NOT_FOUND" || /^Cannot find (package|module) /.test(String(err.message)));
        if (specifier.startsWith("@pulumi/") && notFound) {
            try {
                return { url: fromRoot(specifier), shortCircuit: true };
            } catch {
                // Not carried by rootguard either: the program's own error stands.
            }
        }
        throw err;
    }
}
export function load(url, context, next) {
    return hooks.load(url, context, next);
}
`;

/** The program's tsconfig compilerOptions, which Pulumi spreads over its ESM defaults. */
function programCompilerOptions(tsconfig: string, rootguardRoot: string): Record<string, unknown> {
    if (!fs.existsSync(tsconfig)) return {};
    const ts = require(require.resolve("typescript", { paths: [rootguardRoot] }));
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    return (read.config?.compilerOptions as Record<string, unknown> | undefined) ?? {};
}

export function registerEsmLoader(programDir: string, rootguardRoot: string): void {
    const tsconfig = path.join(programDir, "tsconfig.json");
    const hasProject = fs.existsSync(tsconfig);
    const options = {
        transpileOnly: true,
        compiler: require.resolve("typescript", { paths: [rootguardRoot] }),
        cwd: programDir,
        project: hasProject ? tsconfig : undefined,
        skipProject: !hasProject,
        compilerOptions: {
            target: "ES2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: true,
            ...programCompilerOptions(tsconfig, rootguardRoot),
        },
    };
    const moduleApi: { register?: (specifier: string, options: { data: unknown }) => void } = require("module");
    if (typeof moduleApi.register !== "function") {
        throw new Error(`ES-module programs need Node.js 20.6 or later (this is ${process.version})`);
    }
    // The loader thread compiles with inline source maps; Node's own support maps stack frames back to the .ts.
    process.setSourceMapsEnabled(true);
    // Under ts-node (rootguard's own sources in development) source-map-support owns prepareStackTrace and cannot
    // see the loader thread's maps; Node's own support, used when nothing overrides it, can.
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    moduleApi.register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
        data: { anchor: path.join(rootguardRoot, "package.json"), options },
    });
}
