/**
 * What to do with one root access key. Pure: the same facts and settings always give the same decision,
 * so every safety rule (a key used inside the window is never deleted, `delete` only when configured,
 * dry run changes nothing) is tested here without AWS.
 */
import type { RemediationAction } from "./contract";

export type Decision = "keep" | "delete" | "would-delete" | "manual";

export interface KeyFacts {
    status: string;
    /** ISO time the key was created (or, from the credential report, last rotated). */
    created?: string;
    /** ISO time of last use; absent when never used (or unknown). */
    lastUsedDate?: string;
}

export interface DecideOptions {
    action: RemediationAction;
    unusedDays: number;
    dryRun: boolean;
    /** False where no API can delete the key (standalone or management account, feature not enabled). */
    canAct: boolean;
    now: Date;
}

export interface KeyDecision {
    decision: Decision;
    /** One sentence a person can check against the evidence. */
    reason: string;
    /** The configured action would remove this key (whether or not it can or may here). */
    eligible: boolean;
    /** Whole days since last use, or since creation when never used. */
    idleDays?: number;
}

export const DAY_MS = 86_400_000;

export function decideKey(key: KeyFacts, options: DecideOptions): KeyDecision {
    const { idleMs, evidence, provable } = idleness(key, options);
    const idleDays = idleMs === undefined ? undefined : Math.floor(idleMs / DAY_MS);
    const window = options.unusedDays * DAY_MS;
    const unused = provable && idleMs !== undefined && idleMs >= window;
    const inactive = key.status === "Inactive" ? " (inactive)" : "";

    if (options.action === "notify") {
        const hint = unused ? `; delete-unused would remove it (≥ ${options.unusedDays} days)` : "";
        return { decision: "keep", reason: `notify mode reports only: ${evidence}${inactive}${hint}`, eligible: false, idleDays };
    }

    let reason: string;
    let eligible: boolean;
    if (options.action === "delete") {
        eligible = true;
        reason = `action "delete" removes every root access key: ${evidence}${inactive}`;
    } else if (!provable) {
        eligible = false;
        reason = `${evidence}${inactive}, so it cannot be shown unused for ${options.unusedDays} days`;
    } else if (unused) {
        eligible = true;
        reason = `${evidence}${inactive}: at least ${options.unusedDays} days without use`;
    } else {
        eligible = false;
        reason = `${evidence}${inactive}, inside the ${options.unusedDays}-day window`;
    }

    if (!eligible) return { decision: "keep", reason, eligible, idleDays };
    if (!options.canAct) return { decision: "manual", reason: `${reason}; automation cannot delete it here`, eligible, idleDays };
    if (options.dryRun) return { decision: "would-delete", reason: `${reason}; dry run, nothing changed`, eligible, idleDays };
    return { decision: "delete", reason, eligible, idleDays };
}

function idleness(key: KeyFacts, options: DecideOptions): { idleMs?: number; evidence: string; provable: boolean } {
    const now = options.now.getTime();
    const lastUsed = parse(key.lastUsedDate);
    if (lastUsed !== undefined) {
        // A last-use time in the future (clock skew) counts as used now: never a reason to delete.
        const idleMs = Math.max(0, now - lastUsed);
        return { idleMs, evidence: `last used ${days(idleMs)} ago`, provable: true };
    }
    const created = parse(key.created);
    if (created !== undefined) {
        const idleMs = Math.max(0, now - created);
        return { idleMs, evidence: `never used, created ${days(idleMs)} ago`, provable: true };
    }
    return { evidence: "no last-use or creation date known", provable: false };
}

function parse(iso: string | undefined): number | undefined {
    if (!iso) return undefined;
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : t;
}

function days(ms: number): string {
    const d = Math.floor(ms / DAY_MS);
    return d === 1 ? "1 day" : `${d} days`;
}
