import * as fs from "fs";
import * as path from "path";

/**
 * rootguard's own installation directory. Code runs from `dist/...` when built and from the sources under
 * ts-node, so a fixed number of `..` is wrong in one of them: walk up to our package.json instead.
 */
export function rootguardRoot(from: string = __dirname): string {
    let dir = path.resolve(from);
    for (;;) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest)) {
            try {
                if (JSON.parse(fs.readFileSync(manifest, "utf8")).name === "rootguard") return dir;
            } catch {
                // An unreadable package.json on the way up is not ours; keep walking.
            }
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`no package.json named "rootguard" above ${from}`);
        dir = parent;
    }
}

export function rootguardVersion(): string {
    return JSON.parse(fs.readFileSync(path.join(rootguardRoot(), "package.json"), "utf8")).version;
}
