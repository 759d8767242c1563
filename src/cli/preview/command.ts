import { Command } from "commander";
import { redactCredentials } from "../../core/access-keys";
import { evaluate, openPack, readPackConfig, type Verdict } from "./evaluate";
import { readStackExport } from "./export-reader";
import { jsonReport } from "./json-report";
import { rootguardRoot } from "../../core/package-root";
import { chooseStyle, textReport, type ReportContext } from "./report";
import { preparePreview, recordPreview, type RecordedPreview } from "./preview-program";
import type { ResourceRecord } from "./records";
import { packRequests } from "./resources";

interface PackOptions {
    policyPack?: string;
    policyPackConfig?: string;
    json?: boolean;
}

interface PreviewOptions extends PackOptions {
    stack?: string;
    allowMissingStackFile?: boolean;
    config: string[];
    lookup: string[];
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

function warn(text: string): void {
    process.stderr.write(redactCredentials(`rootguard: ${text}\n`));
}

async function preview(dir: string, opts: PreviewOptions): Promise<void> {
    const packConfig = readPackConfig(opts.policyPackConfig);
    const prepared = preparePreview(dir, opts);
    for (const notice of prepared.notices) warn(notice);
    const pack = openPack(opts.policyPack ?? rootguardRoot());
    let recorded: RecordedPreview;
    try {
        recorded = await recordPreview(prepared);
    } catch (err) {
        await pack.discard();
        throw err;
    }
    for (const notice of recorded.notices) warn(notice);
    const { project, stack } = prepared;
    const verdict = await evaluate(pack, { stack, project: project.name }, packRequests(recorded.records), packConfig);
    finish({ mode: "preview", project: project.name, stack, packDir: pack.dir }, recorded.records, verdict, opts.json === true);
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
            .option("--stack <name>", "stack whose Pulumi.<stack>.yaml to use (required when there are several)")
            .option(
                "--allow-missing-stack-file",
                "preview a --stack that has no Pulumi.<stack>.yaml, from Pulumi.yaml defaults and --config",
            )
            .option("--config <key=value>", "set a config value (repeatable)", collect, [])
            .option("--lookup <token=json>", "what a data source returns offline, as JSON or @file.json (repeatable)", collect, []),
    ).action((dir: string, opts: PreviewOptions) => preview(dir, opts));

    withPackOptions(
        program
            .command("analyze")
            .description("Evaluate a saved `pulumi stack export` (deployment v3) with the policy pack")
            .requiredOption("--file <export.json>", "the stack export file"),
    ).action((opts: AnalyzeOptions) => analyze(opts));
}
