/**
 * The human report: the resource plan as a tree (like `pulumi preview`), then policy results grouped by
 * pack, level and resource (like the Pulumi CLI's "Policies:" section), then a summary and the verdict.
 */
import * as path from "path";
import type { Diagnostic } from "../../engine";
import type { ResourceRecord } from "./records";
import type { Verdict } from "./evaluate";
import { countLevel } from "./json-report";
import { isProviderType } from "../../core/pulumi-values";
import { redactCredentials } from "../../core/access-keys";
import { printable, shouldColor, type TerminalStream } from "../terminal";

export interface Style {
    red(s: string): string;
    yellow(s: string): string;
    green(s: string): string;
    bold(s: string): string;
    dim(s: string): string;
}

const plain: Style = { red: (s) => s, yellow: (s) => s, green: (s) => s, bold: (s) => s, dim: (s) => s };
const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const coloured: Style = { red: ansi(31), yellow: ansi(33), green: ansi(32), bold: ansi(1), dim: ansi(2) };

/** The CLI's one colour rule (src/cli/terminal.ts): NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal. */
export function chooseStyle(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): Style {
    return shouldColor(stream, env) ? coloured : plain;
}

export interface ReportContext {
    mode: "preview" | "analyze";
    project: string;
    stack: string;
    packDir: string;
}

// Pulumi hides default providers from its plan tree; they still reach the pack.
function shownInPlan(r: ResourceRecord): boolean {
    return !(isProviderType(r.type) && r.name.startsWith("default"));
}

function planTree(records: ResourceRecord[], op: string): string[][] {
    const shown = records.filter(shownInPlan);
    const urns = new Set(shown.map((r) => r.urn));
    const children = new Map<string, ResourceRecord[]>();
    const roots: ResourceRecord[] = [];
    for (const r of shown) {
        if (r.parent && urns.has(r.parent)) {
            const list = children.get(r.parent) ?? [];
            list.push(r);
            children.set(r.parent, list);
        } else roots.push(r);
    }
    const rows: string[][] = [];
    const walk = (r: ResourceRecord, prefix: string, connector: string) => {
        rows.push([`${prefix}${connector}${r.type}`, r.name, r.external ? "read" : op]);
        const kids = children.get(r.urn) ?? [];
        const childPrefix = connector === "" ? prefix : prefix + (connector === "└─ " ? "   " : "│  ");
        kids.forEach((k, i) => walk(k, childPrefix, i === kids.length - 1 ? "└─ " : "├─ "));
    };
    for (const r of roots) walk(r, "", "");
    return rows;
}

function table(rawRows: string[][], header: string[]): string[] {
    // Cells are measured as printed: redaction changes lengths (a key ID in a name shrinks to AKIA****WXYZ).
    const rows = rawRows.map((r) => r.map((cell) => redactCredentials(printable(cell))));
    const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
    const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
    return [fmt(header), ...rows.map(fmt)];
}

function resourceLabel(d: Diagnostic, byUrn: Map<string, ResourceRecord>): string {
    if (!d.urn) return "stack";
    const r = byUrn.get(d.urn);
    if (r) return `${r.type}: ${r.name}`;
    return d.urn.slice(d.urn.lastIndexOf("::") + 2);
}

// As given on the command line, like Pulumi's "(local: …)": relative when under the working directory.
export function shownPath(dir: string): string {
    const rel = path.relative(process.cwd(), dir);
    return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? dir : rel;
}

const LEVEL_ORDER = ["mandatory", "remediate", "advisory", "disabled"];

export function textReport(ctx: ReportContext, records: ResourceRecord[], verdict: Verdict, style: Style): string {
    const lines: string[] = [];
    const verb = ctx.mode === "preview" ? "Previewing (offline, mocked)" : "Analyzing saved state of";
    lines.push(`${verb} stack ${style.bold(ctx.stack)} of project ${style.bold(ctx.project)}`, "");
    const op = ctx.mode === "preview" ? "create" : "same";
    for (const row of table(planTree(records, op), ["Type", "Name", ctx.mode === "preview" ? "Plan" : "State"])) {
        lines.push(`    ${row}`);
    }
    lines.push("");

    const mandatory = countLevel(verdict.diagnostics, "mandatory");
    const advisory = countLevel(verdict.diagnostics, "advisory");
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const mark = mandatory > 0 ? style.red("❌") : advisory > 0 ? style.yellow("⚠") : style.green("✅");
    lines.push("Policies:");
    lines.push(`    ${mark} ${style.bold(`${verdict.pack.name}@v${verdict.pack.version}`)} (local: ${shownPath(ctx.packDir)})`);
    const sorted = [...verdict.diagnostics].sort(
        (a, b) =>
            LEVEL_ORDER.indexOf(a.enforcementLevel) - LEVEL_ORDER.indexOf(b.enforcementLevel) || a.policyName.localeCompare(b.policyName),
    );
    for (const d of sorted) {
        const level = d.enforcementLevel === "mandatory" ? style.red(`[${d.enforcementLevel}]`) : style.yellow(`[${d.enforcementLevel}]`);
        lines.push(`        - ${level}  ${d.policyName}  (${resourceLabel(d, byUrn)})`);
        const text = d.message || d.description;
        for (const l of text.split("\n").filter((x) => x.trim() !== "")) lines.push(`          ${l}`);
    }
    lines.push("");

    lines.push("Resources:");
    lines.push(ctx.mode === "preview" ? `    + ${records.filter((r) => !r.external).length} to create` : `    ${records.length} in state`);
    lines.push("");
    const counts = `${mandatory} mandatory, ${advisory} advisory`;
    if (mandatory > 0) lines.push(style.red(style.bold(`Verdict: BLOCKED (${counts})`)));
    else lines.push(style.green(style.bold(`Verdict: PASSED (${counts})`)));
    return lines.join("\n") + "\n";
}
