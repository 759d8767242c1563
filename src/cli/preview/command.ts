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
import { stopRunningPrograms } from "./run-program";
import { countingAnalyze, DEFAULT_TIMEOUT_SECONDS, parseTimeoutSeconds, runStatus, underTimeout } from "./run-limits";
import { UserError } from "../errors";

interface PackOptions {
    policyPack?: string;
    policyPackConfig?: string;
    json?: boolean;
    /** Seconds; 0 for no limit. */
    timeout: number;
}

interface PreviewOptions extends PackOptions {
    stack?: string;
    allowMissingStackFile?: boolean;
    config: string[];
    lookup: string[];
}

interface AnalyzeOptions extends PackOptions {
    file?: string;
}

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

function withPackOptions(cmd: Command): Command {
    return cmd
        .option("--policy-pack <dir>", "policy pack directory (default: rootguard's own pack)")
        .option("--policy-pack-config <file>", "JSON policy pack config, as for pulumi --policy-pack-config")
        .option("--json", "print one JSON document instead of the report")
        .option(
            "--timeout <seconds>",
            `stop the run after this long (0: no limit; default ${DEFAULT_TIMEOUT_SECONDS})`,
            parseTimeoutSeconds,
            DEFAULT_TIMEOUT_SECONDS,
        );
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
    const { project, stack } = prepared;
    const status = runStatus();
    const pack = countingAnalyze(openPack(opts.policyPack ?? rootguardRoot()), status);
    const stop = async (): Promise<void> => {
        await stopRunningPrograms();
        await pack.discard();
    };
    const { records, verdict } = await underTimeout(opts.timeout, status, stop, async () => {
        status.phase("running the program");
        let recorded: RecordedPreview;
        try {
            recorded = await recordPreview(prepared);
        } catch (err) {
            await pack.discard();
            throw err;
        }
        for (const notice of recorded.notices) status.interrupt(() => warn(notice));
        const records = recorded.records;
        status.phase("analyzing resources", records.filter((r) => !r.external).length);
        return { records, verdict: await evaluate(pack, { stack, project: project.name }, packRequests(records), packConfig) };
    });
    finish({ mode: "preview", project: project.name, stack, packDir: pack.dir }, records, verdict, opts.json === true);
}

async function analyze(file: string | undefined, opts: AnalyzeOptions): Promise<void> {
    const packConfig = readPackConfig(opts.policyPackConfig);
    const source = exportFile(file, opts.file);
    const status = runStatus();
    // The pack starts (a second or two) while the export is read and parsed.
    const pack = countingAnalyze(openPack(opts.policyPack ?? rootguardRoot()), status);
    let saved: ReturnType<typeof readStackExport>;
    try {
        saved = readStackExport(source);
    } catch (err) {
        status.done();
        await pack.discard();
        throw err;
    }
    status.phase("analyzing resources", saved.records.filter((r) => !r.external).length);
    const verdict = await underTimeout(opts.timeout, status, pack.discard, () =>
        evaluate(pack, { stack: saved.stack, project: saved.project }, packRequests(saved.records), packConfig),
    );
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
            .argument("[export.json]", "the stack export file (`pulumi stack export --file export.json`)")
            .option("--file <export.json>", "the stack export file, as an option"),
    ).action((file: string | undefined, opts: AnalyzeOptions) => analyze(file, opts));
}

/** `analyze FILE` or `analyze --file FILE`: one of them, and the same file if both. */
function exportFile(argument: string | undefined, option: string | undefined): string {
    if (argument !== undefined && option !== undefined && argument !== option) {
        throw new UserError(`analyze takes one stack export: got ${argument} and --file ${option}`);
    }
    const file = argument ?? option;
    if (file === undefined)
        throw new UserError(
            "analyze needs a stack export: rootguard analyze EXPORT.json (write one with `pulumi stack export --file EXPORT.json`)",
        );
    return file;
}
