/**
 * Which stack a preview is for, with the Pulumi CLI's rules (pulumi/pulumi at the commit named in docs/cli.md):
 * - A stack reference is `stack`, `owner/stack` or `owner/project/stack` (pkg/backend/httpstate/backend.go
 *   `parseStackName`, pkg/backend/diy/store.go `ParseReference`); the owner must match the Pulumi Cloud's rule
 *   (`stackOwnerRegexp`), the project must be a valid project name and this project's, and the stack name must
 *   pass `tokens.ParseStackName` (sdk/go/common/tokens/stack_name.go): 1–100 of `[A-Za-z0-9_.-]`.
 * - Its settings live in `Pulumi.<stack name><ext of Pulumi.yaml>` beside Pulumi.yaml, or in the project's
 *   `stackConfigDir` (sdk/go/common/workspace/paths.go `ProjectStackPath`): only the last part of the reference
 *   names the file, so no reference reaches a path outside the project.
 * Offline there is no backend to ask which stacks exist, so the stack files are the stacks: naming one without
 * a file is an error unless the user says the config comes from `--config` (`--allow-missing-stack-file`), and
 * with no `--stack` the only stack file is used; none or several is an error naming them, as `pulumi preview`
 * in a non-interactive shell stops when no stack is selected.
 */
import * as fs from "fs";
import * as path from "path";
import { UserError } from "../errors";
import type { PulumiProject } from "./project";
import { projectNameError, stackNameError } from "./pulumi-names";
import { shownPath } from "./report";

export interface StackSelection {
    /** The stack name (the last part of the reference). */
    name: string;
    /** The stack's settings file, when it exists. */
    file?: string;
}

const OWNER = /^[a-zA-Z0-9][a-zA-Z0-9-_]{1,38}[a-zA-Z0-9]$/;

/** The stack name a `--stack` reference names, after the backends' checks. */
export function parseStackReference(reference: string, project: string): string {
    const parts = reference.split("/");
    if (parts.length > 3) throw new UserError(`--stack: could not parse stack name '${reference}'`);
    const name = parts[parts.length - 1];
    const owner = parts.length > 1 ? parts[0] : undefined;
    const refProject = parts.length === 3 ? parts[1] : undefined;
    if (owner !== undefined && !OWNER.test(owner)) throw new UserError(`--stack '${reference}': invalid stack owner '${owner}'`);
    if (refProject !== undefined) {
        const bad = projectNameError(refProject);
        if (bad) throw new UserError(`--stack '${reference}': ${bad}`);
        if (refProject !== project) {
            throw new UserError(
                `--stack '${reference}' names project '${refProject}', but this program's Pulumi.yaml is project '${project}'`,
            );
        }
    }
    const bad = stackNameError(name);
    if (bad) throw new UserError(`--stack '${reference}': ${bad}`);
    return name;
}

function stackDir(project: PulumiProject): string {
    return project.stackConfigDir ? path.resolve(project.dir, project.stackConfigDir) : project.dir;
}

function stackFileName(project: PulumiProject, name: string): string {
    return `Pulumi.${name}${project.fileExt}`;
}

/** The stacks that have a settings file, sorted. */
export function existingStacks(project: PulumiProject): string[] {
    let files: string[];
    try {
        files = fs.readdirSync(stackDir(project));
    } catch {
        return [];
    }
    const prefix = "Pulumi.";
    return files
        .filter((f) => f.startsWith(prefix) && f.endsWith(project.fileExt))
        .map((f) => f.slice(prefix.length, f.length - project.fileExt.length))
        .filter((name) => stackNameError(name) === undefined)
        .sort();
}

function listed(project: PulumiProject, stacks: string[]): string {
    return stacks.map((s) => `${s} (${stackFileName(project, s)})`).join(", ");
}

/**
 * The stack to preview. `allowMissingFile` lets a named stack without a settings file through, with only the
 * Pulumi.yaml defaults and `--config` values (the caller still stops on a required key nobody set).
 */
export function selectStack(project: PulumiProject, requested: string | undefined, allowMissingFile = false): StackSelection {
    const stacks = existingStacks(project);
    const where = shownPath(stackDir(project));
    if (requested === undefined) {
        if (stacks.length === 1) return { name: stacks[0], file: path.join(stackDir(project), stackFileName(project, stacks[0])) };
        if (stacks.length === 0) {
            throw new UserError(
                `no stack: ${where} has no Pulumi.<stack>${project.fileExt}; create one (pulumi stack init NAME, pulumi config set), ` +
                    `or name a stack with --stack NAME --allow-missing-stack-file and give its config with --config key=value`,
            );
        }
        throw new UserError(`${where} has ${stacks.length} stacks: ${listed(project, stacks)}; choose one with --stack NAME`);
    }
    const name = parseStackReference(requested, project.name);
    const file = path.join(stackDir(project), stackFileName(project, name));
    if (fs.existsSync(file)) return { name, file };
    if (allowMissingFile) return { name };
    const known = stacks.length > 0 ? `stacks here: ${listed(project, stacks)}` : "there are no stack files here";
    throw new UserError(
        `stack '${name}' has no ${stackFileName(project, name)} in ${where}; ${known}. ` +
            `To preview '${name}' from Pulumi.yaml defaults and --config values alone, add --allow-missing-stack-file`,
    );
}
