/**
 * The IAM credential report: the only place a non-root principal sees its own account's root access
 * keys (no key IDs, only slots). AWS regenerates it at most every 4 hours; generation is asynchronous.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from "@aws-sdk/client-iam";
import { errorCode } from "./errors";
import type { RootAccessKey } from "./root-key";

export interface ReportPolling {
    sleep: (ms: number) => Promise<void>;
    /** Generate/Get rounds before giving up (default 10). */
    maxPolls?: number;
    /** Wait between rounds (default 2000 ms). */
    pollMs?: number;
}

export interface CredentialReport {
    csv: string;
    generatedAt?: string;
}

const NOT_READY = new Set([
    "CredentialReportNotReadyException",
    "ReportInProgress",
    "CredentialReportNotPresentException",
    "ReportNotPresent",
    "CredentialReportExpiredException",
    "ReportExpired",
]);

export async function fetchCredentialReport(iam: IAMClient, polling: ReportPolling): Promise<CredentialReport> {
    const maxPolls = polling.maxPolls ?? 10;
    for (let round = 0; round < maxPolls; round++) {
        if (round > 0) await polling.sleep(polling.pollMs ?? 2000);
        // Generate is cheap when a fresh report exists: it answers COMPLETE without starting a new one.
        const gen = await iam.send(new GenerateCredentialReportCommand({}));
        if (gen.State !== "COMPLETE") continue;
        try {
            const got = await iam.send(new GetCredentialReportCommand({}));
            const content = got.Content;
            const csv = typeof content === "string" ? content : content ? Buffer.from(content).toString("utf8") : "";
            return { csv, generatedAt: got.GeneratedTime?.toISOString() };
        } catch (err) {
            if (!NOT_READY.has(errorCode(err))) throw err;
        }
    }
    throw Object.assign(new Error(`IAM credential report still in progress after ${maxPolls} attempts`), { name: "ReportInProgress" });
}

/** RFC 4180 rows → objects keyed by the header row. */
export function parseCsv(csv: string): Record<string, string>[] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < csv.length; i++) {
        const ch = csv[i];
        if (quoted) {
            if (ch === '"' && csv[i + 1] === '"') {
                field += '"';
                i++;
            } else if (ch === '"') quoted = false;
            else field += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ",") {
            row.push(field);
            field = "";
        } else if (ch === "\n" || ch === "\r") {
            if (ch === "\r" && csv[i + 1] === "\n") i++;
            row.push(field);
            rows.push(row);
            row = [];
            field = "";
        } else field += ch;
    }
    if (field !== "" || row.length > 0) {
        row.push(field);
        rows.push(row);
    }
    const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== "");
    if (!header) return [];
    return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

export const ROOT_ROW_USER = "<root_account>";

/** Values that mean "nothing here" in the report. */
function value(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === "" || t === "N/A" || t === "no_information" || t === "not_supported" ? undefined : t;
}

function isoOrUndefined(v: string | undefined): string | undefined {
    const t = value(v);
    if (!t) return undefined;
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The root user's keys from the `<root_account>` row: a slot exists when it has a last_rotated date. */
export function rootKeysFromReport(rows: Record<string, string>[]): { found: boolean; keys: RootAccessKey[] } {
    const row = rows.find((r) => r.user === ROOT_ROW_USER);
    if (!row) return { found: false, keys: [] };
    const keys: RootAccessKey[] = [];
    for (const slot of [1, 2] as const) {
        const p = `access_key_${slot}_`;
        const created = isoOrUndefined(row[`${p}last_rotated`]);
        const active = row[`${p}active`] === "true";
        if (!created && !active) continue;
        keys.push({
            maskedKeyId: `access key ${slot}`,
            slot,
            status: active ? "Active" : "Inactive",
            created,
            lastUsed: {
                date: isoOrUndefined(row[`${p}last_used_date`]),
                service: value(row[`${p}last_used_service`]),
                region: value(row[`${p}last_used_region`]),
            },
        });
    }
    return { found: true, keys };
}
