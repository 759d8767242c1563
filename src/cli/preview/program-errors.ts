import * as path from "path";

/**
 * The first stack frame inside the user's program (not node_modules, not Node internals, not rootguard),
 * as `file:line:col` relative to the program folder: the line a user needs to look at.
 */
export function firstUserFrame(stack: string, programDir: string): string | undefined {
    const dir = path.resolve(programDir) + path.sep;
    // rootguard's own runner lives under the program folder when previewing rootguard itself.
    const own = path.resolve(__dirname) + path.sep;
    for (const line of stack.split("\n").slice(1)) {
        const m = /\(?((?:[A-Za-z]:)?[^():\s][^()]*?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (!m) continue;
        const file = m[1].replace(/^at\s+/, "");
        if (!file.startsWith(dir) || file.startsWith(own) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
        return `${path.relative(dir, file)}:${m[2]}:${m[3]}`;
    }
    return undefined;
}
