/**
 * The compliance report: the one shape every output (table, JSON, HTML) renders and `--from` reads back.
 * Version 1 is documented in docs/readme/compliance.md; change it only by adding optional fields, or bump
 * REPORT_VERSION and keep reading the old one.
 */
import { isAccessKeyId, maskKeyId, redactCredentials } from "../../core/access-keys";
import { isAccountId } from "../../core/aws-facts";
import { UserError } from "../errors";

export const REPORT_FORMAT = "rootguard-compliance";
export const REPORT_VERSION = 1;

/** Worst first: the order the table and the page sort by default. */
export const COMPLIANCE_TYPES = ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"] as const;
export type ComplianceType = (typeof COMPLIANCE_TYPES)[number];

export function isComplianceType(value: unknown): value is ComplianceType {
    return typeof value === "string" && (COMPLIANCE_TYPES as readonly string[]).includes(value);
}

export type ReportSource =
    | { mode: "account"; accountId: string; region: string }
    | { mode: "organization"; aggregator: string; region: string };

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
        source: parts.source,
        rules: [...parts.rules],
        rulesNotFound: [...(parts.rulesNotFound ?? [])],
        summary: summarize(evaluations),
        evaluations,
    };
    if (parts.inventory) report.inventory = parts.inventory.map(cleanInventory);
    return report;
}

// Annotations are Config's free text and inventory comes from another module: scrub both on the way in,
// so no renderer has to remember to.
function cleanEvaluation(e: Evaluation): Evaluation {
    const out: Evaluation = {
        accountId: e.accountId,
        region: e.region,
        rule: e.rule,
        configRuleName: e.configRuleName,
        compliance: e.compliance,
        lastEvaluated: e.lastEvaluated,
    };
    if (e.annotation !== undefined) out.annotation = redactCredentials(e.annotation);
    return out;
}

function cleanInventory(inv: AccountInventory): AccountInventory {
    const out: AccountInventory = {
        accountId: inv.accountId,
        ...(inv.method !== undefined ? { method: inv.method } : {}),
        keys: inv.keys.map((k) => {
            const key: InventoryKey = {
                keyId: isAccessKeyId(k.keyId) ? maskKeyId(k.keyId) : redactCredentials(k.keyId),
                status: k.status,
                created: k.created,
                lastUsed: k.lastUsed,
            };
            if (k.lastUsedService) key.lastUsedService = k.lastUsedService;
            if (k.lastUsedRegion) key.lastUsedRegion = k.lastUsedRegion;
            return key;
        }),
    };
    if (inv.notes !== undefined) out.notes = inv.notes.map(redactCredentials);
    if (inv.error !== undefined) out.error = redactCredentials(inv.error);
    return out;
}

/** Inventory by account, for renderers. */
export function inventoryByAccount(report: ComplianceReport): Map<string, AccountInventory> {
    return new Map((report.inventory ?? []).map((i) => [i.accountId, i]));
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

// ---------------------------------------------------------------------------------------------------------
// Reading a saved report (`--from`). Every failure is one line that says where and what to do.

export function parseReport(text: string, file: string): ComplianceReport {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new UserError(`${file} is not JSON (${why}); write a report with: rootguard compliance --json > ${file}`);
    }
    return validateReport(data, file);
}

export function validateReport(data: unknown, file: string): ComplianceReport {
    const bad = (path: string, what: string): never => {
        throw new UserError(`${file}: ${path} ${what}; regenerate it with: rootguard compliance --json > ${file}`);
    };
    if (!isObject(data) || data.format !== REPORT_FORMAT) {
        throw new UserError(
            `${file} is not a rootguard compliance report (no "format": "${REPORT_FORMAT}"); write one with: rootguard compliance --json > ${file}`,
        );
    }
    if (typeof data.version !== "number") bad("version", "must be a number");
    if (data.version !== REPORT_VERSION) {
        throw new UserError(
            `${file} is report version ${String(data.version)}, this rootguard reads version ${REPORT_VERSION}: use the rootguard that wrote it, or regenerate the report`,
        );
    }
    if (!isIsoDate(data.generatedAt)) bad("generatedAt", "must be an ISO 8601 date");
    const source = data.source;
    if (!isObject(source)) bad("source", "must be an object");
    else if (source.mode === "account") {
        if (!isAccountId(source.accountId)) bad("source.accountId", "must be a 12-digit account id");
    } else if (source.mode === "organization") {
        if (!isNonEmptyString(source.aggregator)) bad("source.aggregator", "must be a non-empty string");
    } else bad("source.mode", 'must be "account" or "organization"');
    if (!isObject(source) || !isRegion(source.region)) bad("source.region", "must be an AWS region such as us-east-1");
    if (!Array.isArray(data.rules) || !data.rules.every(isNonEmptyString)) bad("rules", "must be a list of rule names");
    if (data.rulesNotFound !== undefined && (!Array.isArray(data.rulesNotFound) || !data.rulesNotFound.every(isNonEmptyString))) {
        bad("rulesNotFound", "must be a list of rule names");
    }
    if (!Array.isArray(data.evaluations)) bad("evaluations", "must be a list");
    const evaluations = data.evaluations as unknown[];
    evaluations.forEach((e, i) => {
        const at = `evaluations[${i}]`;
        if (!isObject(e)) return bad(at, "must be an object");
        if (!isAccountId(e.accountId)) bad(`${at}.accountId`, "must be a 12-digit account id");
        if (!isRegion(e.region)) bad(`${at}.region`, "must be an AWS region such as us-east-1");
        for (const field of ["rule", "configRuleName"]) {
            if (!isNonEmptyString(e[field])) bad(`${at}.${field}`, "must be a non-empty string");
        }
        if (!isComplianceType(e.compliance)) bad(`${at}.compliance`, `must be one of ${COMPLIANCE_TYPES.join(", ")}`);
        if (e.lastEvaluated !== null && !isIsoDate(e.lastEvaluated)) bad(`${at}.lastEvaluated`, "must be an ISO 8601 date or null");
        if (e.annotation !== undefined && typeof e.annotation !== "string") bad(`${at}.annotation`, "must be a string");
    });
    let inventory: AccountInventory[] | undefined;
    if (data.inventory !== undefined) {
        if (!Array.isArray(data.inventory)) bad("inventory", "must be a list");
        inventory = (data.inventory as unknown[]).map((inv, i) => {
            const at = `inventory[${i}]`;
            if (!isObject(inv)) return bad(at, "must be an object");
            if (!isAccountId(inv.accountId)) bad(`${at}.accountId`, "must be a 12-digit account id");
            if (inv.error !== undefined && typeof inv.error !== "string") bad(`${at}.error`, "must be a string");
            if (inv.method !== undefined && inv.method !== "assume-root" && inv.method !== "credential-report") {
                bad(`${at}.method`, 'must be "assume-root" or "credential-report"');
            }
            if (inv.notes !== undefined && (!Array.isArray(inv.notes) || !inv.notes.every((n: unknown) => typeof n === "string"))) {
                bad(`${at}.notes`, "must be a list of strings");
            }
            if (!Array.isArray(inv.keys)) return bad(`${at}.keys`, "must be a list");
            inv.keys.forEach((k: unknown, j: number) => {
                const kat = `${at}.keys[${j}]`;
                if (!isObject(k)) return bad(kat, "must be an object");
                if (!isNonEmptyString(k.keyId)) bad(`${kat}.keyId`, "must be a non-empty string");
                if (typeof k.status !== "string") bad(`${kat}.status`, "must be a string");
                for (const field of ["created", "lastUsed"]) {
                    if (k[field] !== null && !isIsoDate(k[field])) bad(`${kat}.${field}`, "must be an ISO 8601 date or null");
                }
            });
            return inv as unknown as AccountInventory;
        });
    }
    // The stored summary is a convenience for other readers; recomputing keeps a hand-edited file honest.
    return buildReport({
        generatedAt: new Date(data.generatedAt as string),
        source:
            source.mode === "account"
                ? { mode: "account", accountId: source.accountId, region: source.region }
                : { mode: "organization", aggregator: source.aggregator, region: source.region },
        rules: data.rules as string[],
        rulesNotFound: (data.rulesNotFound as string[] | undefined) ?? [],
        evaluations: evaluations as Evaluation[],
        inventory,
    });
}

function isObject(v: unknown): v is Record<string, any> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonEmptyString(v: unknown): v is string {
    return typeof v === "string" && v.length > 0;
}

// Regions end up in console host names: letters, digits and hyphens only.
function isRegion(v: unknown): v is string {
    return typeof v === "string" && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v);
}

function isIsoDate(v: unknown): v is string {
    return typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
}

export function reportJson(report: ComplianceReport): string {
    return JSON.stringify(report, null, 2) + "\n";
}
