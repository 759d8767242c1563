/** The terminal rendering: a plain aligned table, coloured only when a person is looking at a terminal. */
import { redactCredentials } from "../../core/access-keys";
import {
    COMPLIANCE_TYPES,
    describeAccounts,
    inventoryNotes,
    inventoryRows,
    type ComplianceReport,
    type ComplianceType,
    type InventoryKey,
} from "./report-model";
import { printable } from "../terminal";

const SGR: Record<ComplianceType, string> = {
    NON_COMPLIANT: "1;31",
    INSUFFICIENT_DATA: "33",
    COMPLIANT: "32",
    NOT_APPLICABLE: "2",
};

export function formatTime(iso: string | null): string {
    return iso === null ? "-" : `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

export function renderTable(report: ComplianceReport, opts: { color: boolean }): string {
    const paint = (code: string, text: string): string => (opts.color ? `\x1b[${code}m${text}\x1b[0m` : text);
    const lines: string[] = [];

    const header = ["ACCOUNT", "REGION", "RULE", "COMPLIANCE", "LAST EVALUATED"];
    const rows = report.evaluations.map((e) => [e.accountId, e.region, e.rule, e.compliance, formatTime(e.lastEvaluated)]);
    if (rows.length === 0) lines.push("No evaluations: no account reports these rules yet.");
    else {
        lines.push(
            ...alignedRows(header, rows, (cell, col, row) => {
                if (row < 0) return paint("1", cell);
                return col === 3 ? paint(SGR[report.evaluations[row].compliance], cell) : cell;
            }),
        );
    }

    if (report.inventory) {
        lines.push("", paint("1", "Root access keys"));
        const { listed, withoutKeys } = inventoryRows(report);
        const keyRows: string[][] = [];
        for (const inv of listed) {
            if (inv.error !== undefined) keyRows.push([inv.accountId, "-", "unknown", "-", `inventory failed: ${inv.error}`]);
            for (const k of inv.keys) keyRows.push([inv.accountId, k.keyId, k.status, formatTime(k.created), lastUsedText(k)]);
        }
        if (keyRows.length > 0) {
            lines.push(
                ...alignedRows(["ACCOUNT", "KEY", "STATUS", "CREATED", "LAST USED"], keyRows, (cell, _c, row) =>
                    row < 0 ? paint("1", cell) : cell,
                ),
            );
        }
        lines.push(inventoryCountLine(report.inventory.length, withoutKeys));
        const notes = inventoryNotes(report);
        if (notes.length > 0)
            lines.push("", "Inventory notes:", ...notes.map((n) => printable(`- ${n.note} (${describeAccounts(n.accounts)})`)));
    }

    lines.push("", printable(sourceLine(report)), summaryLine(report, paint));
    if (report.rulesNotFound.length > 0) lines.push(printable(`Not deployed, skipped: ${report.rulesNotFound.join(", ")}`));
    // Renderers never trust their input to be clean: a report read with --from passes through here too.
    return redactCredentials(lines.join("\n")) + "\n";
}

function alignedRows(header: string[], rawRows: string[][], style: (cell: string, col: number, row: number) => string): string[] {
    // Cells are measured as printed: redaction changes lengths (a key ID shrinks to AKIA****WXYZ).
    const rows = rawRows.map((r) => r.map((cell) => redactCredentials(printable(cell))));
    const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, r[c].length), h.length));
    const line = (cells: string[], row: number): string =>
        cells
            .map((cell, c) => style(c === cells.length - 1 ? cell : cell.padEnd(widths[c]), c, row))
            .join("  ")
            .trimEnd();
    return [line(header, -1), ...rows.map((r, i) => line(r, i))];
}

export function inventoryCountLine(inventoried: number, withoutKeys: number): string {
    if (inventoried === 0) return "No accounts inventoried.";
    return `${inventoried} account${inventoried === 1 ? "" : "s"} inventoried; ${withoutKeys} without root access keys${withoutKeys > 0 ? " (not listed)" : ""}.`;
}

/** "2026-09-30 12:00Z (s3, eu-west-1)", or "never". */
export function lastUsedText(k: InventoryKey): string {
    if (!k.lastUsed) return "never";
    const where = [k.lastUsedService, k.lastUsedRegion].filter(Boolean).join(", ");
    return `${formatTime(k.lastUsed)}${where ? ` (${where})` : ""}`;
}

/** What the report covers: "Account 123456789012 · us-east-1" or "Organization (aggregator x) · us-east-1". */
export function scopeLine(report: ComplianceReport): string {
    const s = report.source;
    const scope = s.mode === "account" ? `Account ${s.accountId}` : `Organization (aggregator ${s.aggregator})`;
    return `${scope} · ${s.region}`;
}

export function sourceLine(report: ComplianceReport): string {
    return `${scopeLine(report)} · generated ${formatTime(report.generatedAt)}`;
}

function summaryLine(report: ComplianceReport, paint: (code: string, text: string) => string): string {
    const s = report.summary;
    const counts = COMPLIANCE_TYPES.map((t) => paint(SGR[t], `${s.byCompliance[t]} ${t}`)).join(", ");
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
    return `${plural(s.accounts, "account")}, ${plural(s.evaluations, "evaluation")}: ${counts}; ${plural(s.nonCompliantAccounts, "account")} non-compliant`;
}
