/** `rootguard compliance`: read AWS Config (or a saved report), render a table, JSON or an HTML page. */
import { promises as fs } from "fs";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { STSClient } from "@aws-sdk/client-sts";
import { Command, InvalidArgumentError, Option } from "commander";
import { awsClientConfig, CLIENT_DEFAULTS, DeadlineError, withDeadline } from "../../aws/client-config";
import { observeCalls, type CallObserver } from "../../aws/observe";
import { slowCallNotices } from "../slow-calls";
import { UserError } from "../errors";
import { fileProblem, readTextFile } from "../files";
import { fetchAccountCompliance } from "./fetch-account";
import { fetchOrganizationCompliance } from "./fetch-organization";
import { renderHtml } from "./html";
import type { InventoryProvider } from "./inventory";
import { terminalProgress, type ProgressStream } from "../progress";
import { parseReport } from "./report-file";
import { buildReport, reportJson, type ComplianceReport } from "./report-model";
import { selectRules } from "./rules";
import { checkRegion } from "./region";
import { renderTable } from "./table";
import { shouldColor } from "../terminal";

export interface ComplianceOptions {
    aggregator?: string;
    /** Seconds to establish a connection (default: the shared client default). */
    connectTimeout?: number;
    /** Seconds to wait for an answer, per attempt (default: the shared client default). */
    requestTimeout?: number;
    /** Seconds for the whole read from AWS; 0 for no limit. */
    timeout?: number;
    region?: string;
    rule?: string[];
    inventory?: boolean;
    json?: boolean;
    html?: string;
    from?: string;
    /** Exit 1 when any evaluation is NON_COMPLIANT, for pipelines that gate on it. */
    failOnNoncompliant?: boolean;
}

/** How long a network call may take, and who hears about one that is slow. */
export interface NetworkLimits {
    connectTimeoutMs: number;
    requestTimeoutMs: number;
    observer: CallObserver;
}

/** Everything the command touches outside itself, so tests can drive it end to end. */
export interface ComplianceDeps {
    configClient(region: string | undefined, limits?: NetworkLimits): ConfigServiceClient;
    stsClient(region: string | undefined, limits?: NetworkLimits): STSClient;
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
        configClient: (region, limits) =>
            observeCalls(
                new ConfigServiceClient(
                    awsClientConfig({
                        region,
                        retryMode: "adaptive",
                        maxAttempts: CONFIG_ATTEMPTS,
                        connectionTimeoutMs: limits?.connectTimeoutMs,
                        requestTimeoutMs: limits?.requestTimeoutMs,
                    }),
                ),
                limits?.observer,
            ),
        stsClient: (region, limits) =>
            observeCalls(
                new STSClient(
                    awsClientConfig({ region, connectionTimeoutMs: limits?.connectTimeoutMs, requestTimeoutMs: limits?.requestTimeoutMs }),
                ),
                limits?.observer,
            ),
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
        .addOption(
            new Option("--connect-timeout <seconds>", `time to connect to AWS (default ${CLIENT_DEFAULTS.connectionTimeoutMs / 1000})`)
                .argParser(seconds)
                .conflicts("from"),
        )
        .addOption(
            new Option(
                "--request-timeout <seconds>",
                `time to wait for each answer, per attempt (default ${CLIENT_DEFAULTS.requestTimeoutMs / 1000})`,
            )
                .argParser(seconds)
                .conflicts("from"),
        )
        .addOption(
            new Option("--timeout <seconds>", `time for the whole read from AWS, 0 for no limit (default ${DEFAULT_TIMEOUT_SECONDS})`)
                .argParser(seconds)
                .conflicts("from"),
        )
        .action(async (opts: ComplianceOptions) => {
            const d = deps();
            const report = await runCompliance(opts, d);
            if (opts.failOnNoncompliant) d.setExitCode?.(complianceExitCode(report));
        });
}

export async function runCompliance(opts: ComplianceOptions, deps: ComplianceDeps): Promise<ComplianceReport> {
    const report = opts.from ? readReport(opts.from) : await collectWithin(opts, deps);
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

/** The read from AWS under `--timeout`, with its clients closed afterwards whatever happened. */
async function collectWithin(opts: ComplianceOptions, deps: ComplianceDeps): Promise<ComplianceReport> {
    if (opts.aggregator !== undefined && opts.aggregator.trim() === "") throw new UserError("--aggregator needs a name");
    if (opts.region !== undefined) checkRegion(opts.region, "--region");
    const limits: NetworkLimits = {
        connectTimeoutMs: (opts.connectTimeout ?? CLIENT_DEFAULTS.connectionTimeoutMs / 1000) * 1000,
        requestTimeoutMs: (opts.requestTimeout ?? CLIENT_DEFAULTS.requestTimeoutMs / 1000) * 1000,
        observer: slowCallNotices(deps.stderr, opts.requestTimeout ?? CLIENT_DEFAULTS.requestTimeoutMs / 1000, "--request-timeout"),
    };
    const clients: { destroy(): void }[] = [];
    const made = <T extends { destroy(): void }>(client: T): T => {
        clients.push(client);
        return client;
    };
    const seconds = opts.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const what = opts.aggregator ? `reading the organization through aggregator "${opts.aggregator}"` : "reading this account's rules";
    try {
        const work = (signal?: AbortSignal) => collect(opts, deps, { limits, made, signal });
        return seconds === 0 ? await work() : await withDeadline(seconds * 1000, what, work);
    } catch (err) {
        if (err instanceof DeadlineError) {
            throw new UserError(`stopped after ${seconds} s (--timeout) while ${what}: raise --timeout for a large organization`);
        }
        throw err;
    } finally {
        // Sockets still open (a call abandoned at the deadline) would keep the process alive.
        for (const client of clients) client.destroy();
    }
}

interface CollectContext {
    limits: NetworkLimits;
    made<T extends { destroy(): void }>(client: T): T;
    signal?: AbortSignal;
}

async function collect(opts: ComplianceOptions, deps: ComplianceDeps, ctx: CollectContext): Promise<ComplianceReport> {
    const selection = selectRules(opts.rule);
    const config = ctx.made(deps.configClient(opts.region, ctx.limits));
    const fetched = opts.aggregator
        ? await fetchOrganizationCompliance(config, {
              aggregator: opts.aggregator,
              selection,
              progress: terminalProgress(deps.stderr, "rootguard: reading rule evaluations"),
              signal: ctx.signal,
          })
        : await fetchAccountCompliance({ config, sts: ctx.made(deps.stsClient(opts.region, ctx.limits)) }, selection, ctx.signal);
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

/** Config's per-account API rate is low; adaptive retry paces the organization fan-out when it throttles. */
const CONFIG_ATTEMPTS = 5;

/** Half an hour: a 5,000-account organization is 15,000 detail calls at the rate Config allows. */
export const DEFAULT_TIMEOUT_SECONDS = 1800;

function seconds(text: string): number {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError("expected a number of seconds");
    return value;
}

/** 1 when any evaluation is NON_COMPLIANT, else 0; errors never get here (they exit 2). */
export function complianceExitCode(report: ComplianceReport): number {
    return report.summary.byCompliance.NON_COMPLIANT > 0 ? 1 : 0;
}

function readReport(file: string): ComplianceReport {
    return parseReport(readTextFile(file, "report"), file);
}

async function writeFile(file: string, content: string): Promise<void> {
    try {
        await fs.writeFile(file, content, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UserError(`cannot write ${file}: ${code === "ENOENT" ? "its folder does not exist" : fileProblem(err)}`);
    }
}
