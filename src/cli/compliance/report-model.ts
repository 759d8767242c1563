/**
 * The compliance report: the one shape every output (table, JSON, HTML) renders and `--from` reads back.
 * Version 1 is documented in README.md ("Compliance view"); change it only by adding optional fields, or bump
 * REPORT_VERSION and keep reading the old one.
 */
import { redactStrings } from "../redact";

export const REPORT_FORMAT = "rootguard-compliance";
export const REPORT_VERSION = 1;

/** Worst first: the order the table and the page sort by default. */
export const COMPLIANCE_TYPES = ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"] as const;
export type ComplianceType = (typeof COMPLIANCE_TYPES)[number];

export function isComplianceType(value: unknown): value is ComplianceType {
    return typeof value === "string" && (COMPLIANCE_TYPES as readonly string[]).includes(value);
}

export type ReportSource =
    { mode: "account"; accountId: string; region: string } | { mode: "organization"; aggregator: string; region: string };

/** One rule's verdict on one account in one region. */
export interface Evaluation {
    accountId: string;
    /** Region the rule runs in (where Config evaluated the account). */
    region: string;
    /** The rule as rootguard names it (`--rule` or the default). */
    rule: string;
    /** The rule's name in the account: differs for organization rules (`OrgConfigRule-<rule>-<suffix>`). */
    configRuleName: string;
    compliance: ComplianceType;
    /** ISO 8601; null when Config has no result for the account (INSUFFICIENT_DATA). */
    lastEvaluated: string | null;
    annotation?: string;
}

export interface InventoryKey {
    /** Always masked (`AKIA****WXYZ`). */
    keyId: string;
    status: string;
    created: string | null;
    lastUsed: string | null;
    lastUsedService?: string;
    lastUsedRegion?: string;
}

export interface AccountInventory {
    accountId: string;
    /** How the keys were read: AssumeRoot into a member account, or the caller's own credential report. */
    method?: "assume-root" | "credential-report";
    keys: InventoryKey[];
    /** Caveats from the inventory (a credential report can be up to 4 hours old). */
    notes?: string[];
    /** Why the inventory could not be read (the rest of the report still stands). */
    error?: string;
}

export interface ReportSummary {
    accounts: number;
    evaluations: number;
    /** Accounts with at least one NON_COMPLIANT evaluation. */
    nonCompliantAccounts: number;
    byCompliance: Record<ComplianceType, number>;
}

export interface ComplianceReport {
    format: typeof REPORT_FORMAT;
    version: typeof REPORT_VERSION;
    generatedAt: string;
    source: ReportSource;
    rules: string[];
    /** Default rules that are not deployed (optional ones are skipped, not fatal). */
    rulesNotFound: string[];
    summary: ReportSummary;
    evaluations: Evaluation[];
    /** Present only with `--inventory`. */
    inventory?: AccountInventory[];
}

export function summarize(evaluations: readonly Evaluation[]): ReportSummary {
    const byCompliance: Record<ComplianceType, number> = {
        NON_COMPLIANT: 0,
        INSUFFICIENT_DATA: 0,
        COMPLIANT: 0,
        NOT_APPLICABLE: 0,
    };
    const accounts = new Set<string>();
    const nonCompliant = new Set<string>();
    for (const e of evaluations) {
        byCompliance[e.compliance]++;
        accounts.add(e.accountId);
        if (e.compliance === "NON_COMPLIANT") nonCompliant.add(e.accountId);
    }
    return { accounts: accounts.size, evaluations: evaluations.length, nonCompliantAccounts: nonCompliant.size, byCompliance };
}

/** Worst compliance first, then account, rule and region: stable output for diffs and screenshots. */
export function compareEvaluations(a: Evaluation, b: Evaluation): number {
    return (
        COMPLIANCE_TYPES.indexOf(a.compliance) - COMPLIANCE_TYPES.indexOf(b.compliance) ||
        cmp(a.accountId, b.accountId) ||
        cmp(a.rule, b.rule) ||
        cmp(a.region, b.region)
    );
}

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function buildReport(parts: {
    generatedAt: Date;
    source: ReportSource;
    rules: readonly string[];
    rulesNotFound?: readonly string[];
    evaluations: readonly Evaluation[];
    inventory?: readonly AccountInventory[];
}): ComplianceReport {
    const evaluations = parts.evaluations.map(cleanEvaluation).sort(compareEvaluations);
    const report: ComplianceReport = {
        format: REPORT_FORMAT,
        version: REPORT_VERSION,
        generatedAt: parts.generatedAt.toISOString(),
        source: redactStrings(parts.source),
        rules: redactStrings([...parts.rules]),
        rulesNotFound: redactStrings([...(parts.rulesNotFound ?? [])]),
        summary: summarize(evaluations),
        evaluations,
    };
    if (parts.inventory) report.inventory = parts.inventory.map(cleanInventory);
    return report;
}

// Key IDs can be anywhere a user or Config put text (an annotation, a rule or aggregator name, an inventory
// note), and a report read with --from can hold anything: every string is redacted on the way in, so the JSON,
// the table and the page all render the same redacted values.
function cleanEvaluation(e: Evaluation): Evaluation {
    const out: Evaluation = {
        accountId: e.accountId,
        region: e.region,
        rule: e.rule,
        configRuleName: e.configRuleName,
        compliance: e.compliance,
        lastEvaluated: e.lastEvaluated,
    };
    if (e.annotation !== undefined) out.annotation = e.annotation;
    return redactStrings(out);
}

function cleanInventory(inv: AccountInventory): AccountInventory {
    const out: AccountInventory = {
        accountId: inv.accountId,
        ...(inv.method !== undefined ? { method: inv.method } : {}),
        keys: inv.keys.map((k) => {
            const key: InventoryKey = {
                // A full key ID comes out as maskKeyId would show it (AKIA****WXYZ).
                keyId: k.keyId,
                status: k.status,
                created: k.created,
                lastUsed: k.lastUsed,
            };
            if (k.lastUsedService) key.lastUsedService = k.lastUsedService;
            if (k.lastUsedRegion) key.lastUsedRegion = k.lastUsedRegion;
            return key;
        }),
    };
    if (inv.notes !== undefined) out.notes = [...inv.notes];
    if (inv.error !== undefined) out.error = inv.error;
    return redactStrings(out);
}

/** Accounts worth a row: keys found or inventory failed. The rest are counted, not listed. */
export function inventoryRows(report: ComplianceReport): { listed: AccountInventory[]; withoutKeys: number } {
    const inv = report.inventory ?? [];
    const listed = inv.filter((i) => i.error !== undefined || i.keys.length > 0);
    return { listed, withoutKeys: inv.length - listed.length };
}

/**
 * Inventory notes grouped by text: the same advice ("enable centralized root access") can concern
 * thousands of accounts and should be read once.
 */
export function inventoryNotes(report: ComplianceReport): { note: string; accounts: string[] }[] {
    const byNote = new Map<string, string[]>();
    for (const inv of report.inventory ?? []) {
        for (const note of inv.notes ?? []) {
            const list = byNote.get(note) ?? [];
            list.push(inv.accountId);
            byNote.set(note, list);
        }
    }
    return [...byNote].map(([note, accounts]) => ({ note, accounts }));
}

export function describeAccounts(accounts: readonly string[], shown = 3): string {
    const head = accounts.slice(0, shown).join(", ");
    const more = accounts.length > shown ? ` and ${accounts.length - shown} more` : "";
    return `${accounts.length} account${accounts.length === 1 ? "" : "s"}: ${head}${more}`;
}

export function reportJson(report: ComplianceReport): string {
    return JSON.stringify(report, null, 2) + "\n";
}
