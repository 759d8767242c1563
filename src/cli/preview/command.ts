import { Command } from "commander";
import { redactCredentials } from "../../core/access-keys";
import { evaluate, openPack, readPackConfig, type Verdict } from "./evaluate";
import { readStackExport } from "./export-reader";
import { jsonReport } from "./json-report";
import { rootguardRoot } from "../../core/package-root";
import { programEntry, readProject } from "./project";
import type { ResourceRecord } from "./records";
import { chooseStyle, textReport, type ReportContext } from "./report";
import { packRequests } from "./resources";
import { runProgram } from "./run-program";
import { assumeRegionIfUnset, chooseStack, loadStackConfig, previewRegion, programConfig } from "./stack-config";
import { withDefaultProviders } from "./default-providers";

interface PackOptions {
    policyPack?: string;
    policyPackConfig?: string;
    json?: boolean;
}

interface PreviewOptions extends PackOptions {
    stack?: string;
    config: string[];
}

interface AnalyzeOptions extends PackOptions {
    file: string;
}

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

function withPackOptions(cmd: Command): Command {
    return cmd
        .option("--policy-pack <dir>", "policy pack directory (default: rootguard's own pack)")
        .option("--policy-pack-config <file>", "JSON policy pack config, as for pulumi --policy-pack-config")
        .option("--json", "print one JSON document instead of the report");
}

/** Everything printed goes through redaction: the last defence if a key slipped into a message. */
function print(text: string): void {
    process.stdout.write(redactCredentials(text));
}

function finish(ctx: ReportContext, records: ResourceRecord[], verdict: Verdict, json: boolean): void {
    if (json) print(JSON.stringify(jsonReport(ctx.stack, records, verdict), null, 2) + "\n");
    else print(textReport(ctx, records, verdict, chooseStyle(process.stdout)));
    process.exitCode = verdict.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
}

async function preview(dir: string, opts: PreviewOptions): Promise<void> {
    const packConfig = readPackConfig(opts.policyPackConfig);
    const project = readProject(dir);
    const stack = chooseStack(project.dir, opts.stack);
    const config = loadStackConfig(project, stack, opts.config);
    const assumed = assumeRegionIfUnset(config);
    if (assumed) process.stderr.write(`rootguard: aws:region is not set for stack '${stack}': previewing with ${assumed}\n`);
    const root = rootguardRoot();
    const programPath = programEntry(project);
    const pack = openPack(opts.policyPack ?? root);
    let recorded: ResourceRecord[];
    try {
        recorded = await runProgram({
            programPath,
            programDir: project.dir,
            project: project.name,
            stack,
            ...programConfig(config),
            rootguardRoot: root,
            region: previewRegion(config),
        });
    } catch (err) {
        await pack.discard();
        throw err;
    }
    const records = withDefaultProviders(recorded, config, project.name);
    const verdict = await evaluate(pack, { stack, project: project.name }, packRequests(records), packConfig);
    finish({ mode: "preview", project: project.name, stack, packDir: pack.dir }, records, verdict, opts.json === true);
}

async function analyze(opts: AnalyzeOptions): Promise<void> {
    const packConfig = readPackConfig(opts.policyPackConfig);
    const saved = readStackExport(opts.file);
    const pack = openPack(opts.policyPack ?? rootguardRoot());
    const verdict = await evaluate(pack, { stack: saved.stack, project: saved.project }, packRequests(saved.records), packConfig);
    finish({ mode: "analyze", project: saved.project, stack: saved.stack, packDir: pack.dir }, saved.records, verdict, opts.json === true);
}

/** `rootguard preview` and `rootguard analyze` (issue 5). */
export function registerPreviewCommands(program: Command): void {
    withPackOptions(
        program
            .command("preview")
            .description("Run a Pulumi TypeScript/JavaScript program under mocks and evaluate it with the policy pack, offline")
            .argument("[dir]", "the Pulumi program's directory", ".")
            .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config to use")
            .option("--config <key=value>", "set a config value (repeatable)", collect, []),
    ).action((dir: string, opts: PreviewOptions) => preview(dir, opts));

    withPackOptions(
        program
            .command("analyze")
            .description("Evaluate a saved `pulumi stack export` (deployment v3) with the policy pack")
            .requiredOption("--file <export.json>", "the stack export file"),
    ).action((opts: AnalyzeOptions) => analyze(opts));
}
