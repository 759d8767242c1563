import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { UserError } from "../errors";

/** The parts of Pulumi.yaml the offline preview honours. */
export interface PulumiProject {
    dir: string;
    name: string;
    main?: string;
    /** `config:` block as written: bare values are defaults, objects may carry `default`/`value`/`type`. */
    config: Record<string, unknown>;
}

export function readYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
        return YAML.parse(text);
    } catch (err) {
        const first = (err instanceof Error ? err.message : String(err)).split("\n")[0];
        throw new UserError(`${file} is not valid YAML: ${first}`);
    }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function readProject(dir: string): PulumiProject {
    const abs = path.resolve(dir);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UserError(`${dir} is not a directory`);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(abs, f)).find((f) => fs.existsSync(f));
    if (!file) throw new UserError(`no Pulumi.yaml in ${abs}: pass the directory of a Pulumi program`);
    const doc = readYamlFile(file);
    if (!isRecord(doc) || typeof doc.name !== "string" || doc.name === "") {
        throw new UserError(`${file} has no project name (name: ...)`);
    }
    const runtime = isRecord(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (runtime !== undefined && runtime !== "nodejs") {
        throw new UserError(`${file} declares runtime '${String(runtime)}': only nodejs (TypeScript/JavaScript) programs can be previewed`);
    }
    return {
        dir: abs,
        name: doc.name,
        main: typeof doc.main === "string" ? doc.main : undefined,
        config: isRecord(doc.config) ? doc.config : {},
    };
}

/**
 * The file to run, like Pulumi's Node.js host: Pulumi.yaml `main`, else package.json `main`, else the
 * directory itself (index.ts / index.js).
 */
export function programEntry(project: PulumiProject): string {
    if (project.main) {
        const entry = path.resolve(project.dir, project.main);
        if (!fs.existsSync(entry)) throw new UserError(`main '${project.main}' in Pulumi.yaml does not exist under ${project.dir}`);
        return entry;
    }
    const manifest = path.join(project.dir, "package.json");
    if (fs.existsSync(manifest)) {
        try {
            const main = JSON.parse(fs.readFileSync(manifest, "utf8")).main;
            if (typeof main === "string") return path.resolve(project.dir, main);
        } catch {
            // Pulumi ignores an unreadable package.json here too and falls back to the directory.
        }
    }
    const index = ["index.ts", "index.js"].map((f) => path.join(project.dir, f)).find((f) => fs.existsSync(f));
    if (!index) throw new UserError(`no program in ${project.dir}: add index.ts or set main in Pulumi.yaml`);
    return project.dir;
}
