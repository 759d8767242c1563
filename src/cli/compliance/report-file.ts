/** Reading a saved report (`--from`): every failure is one line that says where and what to do. */
import * as path from "path";
import { isAccountId } from "../../core/aws-facts";
import { REGION_PATTERN } from "../../core/regions";
import { parseJsonText } from "../files";
import { UserError } from "../errors";
import {
    buildReport,
    COMPLIANCE_TYPES,
    isComplianceType,
    REPORT_FORMAT,
    REPORT_VERSION,
    type AccountInventory,
    type ComplianceReport,
    type Evaluation,
} from "./report-model";

export function parseReport(text: string, file: string): ComplianceReport {
    return validateReport(parseJsonText(text, file, "report", `a report is what ${makeOne(file)} writes`), file);
}

/**
 * How to write a new report. Never the file being read: `> file` would empty it before rootguard runs, and the
 * report may be all that is left of a scan.
 */
export function makeOne(file: string): string {
    const given = path.resolve(file);
    const name = ["compliance-report.json", "compliance-report-new.json"].find((n) => path.resolve(n) !== given);
    return `rootguard compliance --json > ${name}`;
}

export function validateReport(data: unknown, file: string): ComplianceReport {
    const bad = (at: string, what: string): never => {
        throw new UserError(`${file}: ${at} ${what}; make a new report with: ${makeOne(file)}`);
    };
    if (!isObject(data) || data.format !== REPORT_FORMAT) {
        throw new UserError(
            `${file} is not a rootguard compliance report (no "format": "${REPORT_FORMAT}"); make one with: ${makeOne(file)}`,
        );
    }
    if (typeof data.version !== "number") bad("version", "must be a number");
    if (data.version !== REPORT_VERSION) {
        throw new UserError(
            `${file} is report version ${String(data.version)}, this rootguard reads version ${REPORT_VERSION}: use the rootguard that wrote it, or make a new report with: ${makeOne(file)}`,
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

// Regions end up in console host names: region-shaped or refused.
function isRegion(v: unknown): v is string {
    return typeof v === "string" && REGION_PATTERN.test(v);
}

function isIsoDate(v: unknown): v is string {
    return typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
}
