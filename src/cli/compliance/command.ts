/** `rootguard compliance`: read AWS Config (or a saved report), render a table, JSON or an HTML page. */
import { promises as fs } from "fs";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { STSClient } from "@aws-sdk/client-sts";
import { Command, Option } from "commander";
import { awsClientConfig } from "../../aws/client-config";
import { UserError } from "../errors";
import { fetchAccountCompliance } from "./fetch-account";
import { fetchOrganizationCompliance } from "./fetch-organization";
import { renderHtml } from "./html";
import type { InventoryProvider } from "./inventory";
import { terminalProgress, type ProgressStream } from "../progress";
import { parseReport } from "./report-file";
import { buildReport, reportJson, type ComplianceReport } from "./report-model";
import { selectRules } from "./rules";
import { renderTable } from "./table";
import { shouldColor } from "../terminal";

export interface ComplianceOptions {
    aggregator?: string;
    region?: string;
    rule?: string[];
    inventory?: boolean;
    json?: boolean;
    html?: string;
    from?: string;
    /** Exit 1 when any evaluation is NON_COMPLIANT, for pipelines that gate on it. */
    failOnNoncompliant?: boolean;
}

/** Everything the command touches outside itself, so tests can drive it end to end. */
export interface ComplianceDeps {
    configClient(region: string | undefined): ConfigServiceClient;
    stsClient(region: string | undefined): STSClient;
    inventory?: InventoryProvider;
    stdout: ProgressStream;
    stderr: ProgressStream;
    env: NodeJS.ProcessEnv;
    now(): Date;
    /** Sets the process exit code (`--fail-on-noncompliant`); tests capture it instead. */
    setExitCode?(code: number): void;
}

export function defaultDeps(): ComplianceDeps {
    return {
        // Standard credential chain and AWS_ENDPOINT_URL_* come from the SDK defaults; adaptive retry
        // paces the organization fan-out when Config throttles.
        configClient: (region) => new ConfigServiceClient(awsClientConfig({ region, retryMode: "adaptive", maxAttempts: 5 })),
        stsClient: (region) => new STSClient(awsClientConfig({ region })),
        // Loaded on demand: the IAM client and the remediator core are not needed for the other runs.
        inventory: async (accountIds, ctx) => (await import("./remediator-inventory")).remediatorInventory()(accountIds, ctx),
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        now: () => new Date(),
        setExitCode: (code) => {
            process.exitCode = code;
        },
    };
}

export function registerComplianceCommand(program: Command, deps: () => ComplianceDeps = defaultDeps): void {
    const offline = ["aggregator", "region", "rule", "inventory"];
    program
        .command("compliance")
        .description("Root credential compliance from AWS Config, for this account or a whole organization.")
        .addOption(new Option("--aggregator <name>", "read the organization through this AWS Config aggregator"))
        .addOption(new Option("--region <region>", "region of the rules (account) or of the aggregator (default: the SDK's)"))
        .addOption(
            new Option("--rule <name>", "Config rule to read; repeat for more (default: rootguard's three root rules)").argParser(
                (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
            ),
        )
        .addOption(new Option("--inventory", "add the root access key inventory (masked key ids, last used)"))
        .addOption(new Option("--json", "print the report as JSON (versioned shape, see the README)").conflicts("html"))
        .addOption(new Option("--html <file>", "write a self-contained HTML page"))
        .addOption(new Option("--from <report.json>", "render a saved --json report instead of reading AWS (offline)").conflicts(offline))
        .addOption(new Option("--fail-on-noncompliant", "exit 1 when any account is NON_COMPLIANT (for CI gates)"))
        .action(async (opts: ComplianceOptions) => {
            const d = deps();
            const report = await runCompliance(opts, d);
            if (opts.failOnNoncompliant) d.setExitCode?.(complianceExitCode(report));
        });
}

export async function runCompliance(opts: ComplianceOptions, deps: ComplianceDeps): Promise<ComplianceReport> {
    const report = opts.from ? await readReport(opts.from) : await collect(opts, deps);
    if (opts.json) {
        deps.stdout.write(reportJson(report));
    } else if (opts.html) {
        await writeFile(opts.html, renderHtml(report));
        deps.stderr.write(
            `rootguard: wrote ${opts.html} (${report.summary.accounts} accounts, ${report.summary.evaluations} evaluations)\n`,
        );
    } else {
        deps.stdout.write(renderTable(report, { color: shouldColor(deps.stdout, deps.env) }));
    }
    return report;
}

async function collect(opts: ComplianceOptions, deps: ComplianceDeps): Promise<ComplianceReport> {
    if (opts.aggregator !== undefined && opts.aggregator.trim() === "") throw new UserError("--aggregator needs a name");
    const selection = selectRules(opts.rule);
    const config = deps.configClient(opts.region);
    const fetched = opts.aggregator
        ? await fetchOrganizationCompliance(config, {
              aggregator: opts.aggregator,
              selection,
              progress: terminalProgress(deps.stderr, "rootguard: reading rule evaluations"),
          })
        : await fetchAccountCompliance({ config, sts: deps.stsClient(opts.region) }, selection);
    let inventory;
    if (opts.inventory) {
        if (!deps.inventory) throw new UserError("--inventory is not available in this build of rootguard");
        const accounts = [...new Set(fetched.evaluations.map((e) => e.accountId))].sort();
        inventory = await deps.inventory(accounts, {
            source: fetched.source,
            progress: terminalProgress(deps.stderr, "rootguard: reading root key inventory"),
        });
    }
    return buildReport({ generatedAt: deps.now(), ...fetched, rules: selection.rules, inventory });
}

/** 1 when any evaluation is NON_COMPLIANT, else 0; errors never get here (they exit 2). */
export function complianceExitCode(report: ComplianceReport): number {
    return report.summary.byCompliance.NON_COMPLIANT > 0 ? 1 : 0;
}

async function readReport(file: string): Promise<ComplianceReport> {
    let text: string;
    try {
        text = await fs.readFile(file, "utf8");
    } catch (err) {
        throw new UserError(`cannot read ${file}: ${fsReason(err)}`);
    }
    return parseReport(text, file);
}

async function writeFile(file: string, content: string): Promise<void> {
    try {
        await fs.writeFile(file, content, "utf8");
    } catch (err) {
        throw new UserError(`cannot write ${file}: ${fsReason(err)}`);
    }
}

function fsReason(err: unknown): string {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return "no such file or directory";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "it is a directory";
    return err instanceof Error ? err.message : String(err);
}
