/**
 * The program to run, found as Pulumi's Node.js language host finds it (pulumi/pulumi sdk/nodejs/cmd/run/run.ts,
 * `run` and `resolveEntrypoint`):
 * - Pulumi.yaml `main`, relative to the project folder; otherwise
 * - in the nearest package.json at or above the program folder (`npmPackageRootFromProgramPath`): `exports` (a
 *   string, or `"."`: a string or its `default`/`require`/`import`), else `main`. An entry point that does not
 *   exist is warned about and the program folder is used instead.
 * - `"type": "module"` in that package.json loads the program with `import()`; a folder then means its
 *   index.js, index.mjs, index.ts or index.mts, in that order. Otherwise it is `require`d.
 */
import * as fs from "fs";
import * as path from "path";
import { UserError } from "../errors";
import { isRecord, type PulumiProject } from "./project";

export interface ProgramEntry {
    /** File or folder to load. */
    path: string;
    /** Load with `import()` (package.json `"type": "module"`). */
    esm: boolean;
    /** The folder of the package.json that applies, if any. */
    packageRoot?: string;
    packageJson: Record<string, unknown>;
    /** What the language host would warn about, for stderr. */
    warnings: string[];
}

function findPackageRoot(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, "package.json"))) return current;
        if (path.dirname(current) === current) return undefined;
    }
}

function readPackageJson(root: string | undefined): Record<string, unknown> {
    if (!root) return {};
    try {
        const parsed: unknown = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        return isRecord(parsed) ? parsed : {};
    } catch {
        // The host reads it best-effort too.
        return {};
    }
}

/** The entry point package.json declares, as `run` picks it. */
function declaredEntry(pkg: Record<string, unknown>): string | undefined {
    const exp = pkg.exports;
    if (typeof exp === "string") return exp;
    if (isRecord(exp)) {
        const main = exp["."];
        if (typeof main === "string") return main;
        if (isRecord(main)) {
            const chosen = main.default || main.require || main.import;
            return typeof chosen === "string" ? chosen : undefined;
        }
        return undefined;
    }
    return typeof pkg.main === "string" && pkg.main !== "" ? pkg.main : undefined;
}

/** A folder's index: `import()` as `run` picks it; `require` in Node's extension order (.js before ts-node's .ts). */
const ESM_INDEX = ["index.js", "index.mjs", "index.ts", "index.mts"];
const CJS_INDEX = ["index.js", "index.ts"];

export function programEntry(project: PulumiProject): ProgramEntry {
    const warnings: string[] = [];
    let program = project.dir;
    const fromPulumiYaml = project.main !== undefined;
    if (fromPulumiYaml) {
        program = path.resolve(project.dir, project.main as string);
        if (!fs.existsSync(program)) throw new UserError(`main '${project.main}' in Pulumi.yaml does not exist under ${project.dir}`);
    }
    const searchFrom = fs.statSync(program).isDirectory() ? program : path.dirname(program);
    const packageRoot = findPackageRoot(searchFrom);
    const packageJson = readPackageJson(packageRoot);
    if (!fromPulumiYaml && packageRoot) {
        const declared = declaredEntry(packageJson);
        if (declared !== undefined) {
            const candidate = path.join(packageRoot, declared);
            if (fs.existsSync(candidate)) {
                program = candidate;
                if (!packageRoot.startsWith(project.dir)) {
                    warnings.push(
                        `${project.dir} has no package.json: running '${declared}' from ${path.join(packageRoot, "package.json")}, as Pulumi would`,
                    );
                }
            } else {
                warnings.push(`Could not find entry point '${declared}' specified in package.json; using '${program}' instead`);
            }
        }
    }
    const esm = packageJson.type === "module";
    if (fs.statSync(program).isDirectory()) {
        const index = (esm ? ESM_INDEX : CJS_INDEX).find((f) => fs.existsSync(path.join(program, f)));
        if (!index) throw new UserError(`no program in ${program}: add index.ts or set main in Pulumi.yaml`);
        if (index === "index.js" && fs.existsSync(path.join(program, "index.ts"))) {
            warnings.push(
                "Found a TypeScript project containing an index.js file and no explicit entrypoint in Pulumi.yaml - Pulumi will use index.js",
            );
        }
        program = path.join(program, index);
    }
    return { path: program, esm, packageRoot, packageJson, warnings };
}
