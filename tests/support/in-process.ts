/**
 * Loaded (mocha `--require`) by the unit tier, `npm run test:unit`: unit tests run in the mocha process. Starting
 * a process (a Node child, the CLI, a pack, a browser, npm) makes this throw, with the fix in the message: such a
 * test belongs in a `*.e2e.test.ts` file (docs/testing.md). esbuild's own service binary is the one exception:
 * bundling in-process is what the stack does under `pulumi up`, and esbuild always runs as a helper binary.
 */
import * as path from "node:path";
import { promisify } from "node:util";

const ESBUILD_BINARY = /[\\/](@esbuild[\\/][^\\/]+[\\/]bin[\\/]esbuild|esbuild[\\/]bin[\\/]esbuild)(\.exe)?$/;

const STARTERS = ["spawn", "spawnSync", "execFile", "execFileSync", "fork", "exec", "execSync"] as const;

function describe(name: string, args: unknown[]): string {
    const [command, rest] = args;
    const argv = Array.isArray(rest) ? rest.map(String).join(" ") : "";
    return `${name}(${[String(command), argv].filter(Boolean).join(" ").slice(0, 200)})`;
}

export function assertInProcess(name: (typeof STARTERS)[number], args: unknown[]): void {
    const command = args[0];
    const allowed =
        (name === "spawn" || name === "spawnSync" || name === "execFile" || name === "execFileSync") && typeof command === "string";
    if (allowed && ESBUILD_BINARY.test(path.normalize(command))) return;
    throw new Error(
        `a unit test started a process: ${describe(name, args)}. The unit tier (npm run test:unit) runs in-process; ` +
            "a test that starts processes belongs in a file named *.e2e.test.ts (see docs/testing.md).",
    );
}

type Starter = ((...args: unknown[]) => unknown) & { [promisify.custom]?: (...args: unknown[]) => unknown };
// The module object itself (an `import * as` namespace would be a read-only copy).
const target: Record<string, Starter> = require("node:child_process");
for (const name of STARTERS) {
    const original = target[name];
    const guarded: Starter = function (this: unknown, ...args: unknown[]) {
        assertInProcess(name, args);
        return original.apply(this, args);
    };
    // `promisify(execFile)` uses execFile's own promise form; keep it, guarded too.
    const promised = original[promisify.custom];
    if (promised) {
        guarded[promisify.custom] = function (this: unknown, ...args: unknown[]) {
            assertInProcess(name, args);
            return promised.apply(this, args);
        };
    }
    target[name] = guarded;
}
