import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { UserError } from "../errors";
import { projectNameError } from "./pulumi-names";

/** The parts of Pulumi.yaml the offline preview honours. */
export interface PulumiProject {
    dir: string;
    name: string;
    /** `.yaml` or `.yml`: stack files take the project file's extension (`ProjectStackPath`). */
    fileExt: string;
    main?: string;
    /** Where the `Pulumi.<stack>` files live, relative to `dir`. */
    stackConfigDir?: string;
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
    // The backends refuse a stack of a project whose name is not valid (pkg/backend/diy/store.go,
    // pkg/backend/httpstate/backend.go), so `pulumi preview` never runs a template's `name: ${PROJECT}`.
    const badName = projectNameError(doc.name);
    if (badName) throw new UserError(`${file}: name '${doc.name}' is not a valid project name: ${badName}`);
    const runtime = isRecord(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (runtime !== undefined && runtime !== "nodejs") {
        throw new UserError(`${file} declares runtime '${String(runtime)}': only nodejs (TypeScript/JavaScript) programs can be previewed`);
    }
    return {
        dir: abs,
        name: doc.name,
        fileExt: path.extname(file),
        main: typeof doc.main === "string" ? doc.main : undefined,
        stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : undefined,
        config: isRecord(doc.config) ? doc.config : {},
    };
}
