/**
 * Reading IAM policy documents the way AWS evaluates them, for the policy pack and the stacks' tests.
 * Documents arrive as JSON strings or objects, possibly secret-wrapped or unknown during preview; every
 * reader here says "unknown" rather than guessing, so callers never raise a violation on a value they
 * could not see.
 */
import { isUnknown, unwrapSecret } from "./pulumi-values";

export type Tri = true | false | "unknown";

export interface ConditionEntry {
    /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
    operator: string;
    /** Lower-cased operator without set prefix or IfExists suffix, e.g. `stringlike`. */
    baseOperator: string;
    setOperator?: "forallvalues" | "foranyvalue";
    ifExists: boolean;
    /** Lower-cased condition key (keys are case-insensitive in IAM). */
    key: string;
    /** Values as strings (IAM compares booleans and numbers as strings). */
    values: string[];
    /** Some value (or the whole value list) could not be read. */
    hasUnknown: boolean;
}

export interface PolicyStatement {
    sid?: string;
    /** `Allow`/`Deny` as written; undefined when absent or unreadable. */
    effect?: string;
    effectUnknown: boolean;
    /** Patterns from `Action`, or undefined when the statement has none. */
    actions?: string[];
    /** Patterns from `NotAction`, or undefined when the statement has none. */
    notActions?: string[];
    /** The Action/NotAction list held an unknown or non-string value. */
    actionsUnknown: boolean;
    conditions: ConditionEntry[];
    conditionsUnknown: boolean;
}

export type PolicyDocumentRead =
    | { kind: "document"; statements: PolicyStatement[]; statementsUnknown: boolean }
    | { kind: "unknown" }
    | { kind: "absent" }
    | { kind: "invalid"; reason: string };

/** Documents larger than this are not parsed: AWS caps managed policies at 6,144 characters. */
const MAX_DOCUMENT_CHARS = 1_000_000;
const MAX_STATEMENTS = 10_000;

/** Reads a policy document from a JSON string or an object. Never throws. */
export function readPolicyDocument(value: unknown): PolicyDocumentRead {
    try {
        const { value: plain } = unwrapSecret(value);
        if (plain === undefined || plain === null || plain === "") return { kind: "absent" };
        if (isUnknown(plain)) return { kind: "unknown" };
        let doc: unknown = plain;
        if (typeof plain === "string") {
            if (plain.length > MAX_DOCUMENT_CHARS) return { kind: "invalid", reason: "document too large to read" };
            try {
                doc = JSON.parse(plain);
            } catch {
                return { kind: "invalid", reason: "not valid JSON" };
            }
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
            return { kind: "invalid", reason: "not a JSON object" };
        }
        const rawStatements = unwrapSecret(safeGet(doc, "Statement")).value;
        if (isUnknown(rawStatements)) return { kind: "unknown" };
        const list =
            rawStatements === undefined || rawStatements === null ? [] : Array.isArray(rawStatements) ? rawStatements : [rawStatements];
        const statements: PolicyStatement[] = [];
        let statementsUnknown = false;
        for (const s of list.slice(0, MAX_STATEMENTS)) {
            const st = unwrapSecret(s).value;
            if (isUnknown(st)) {
                statementsUnknown = true;
                continue;
            }
            if (st === null || typeof st !== "object" || Array.isArray(st)) continue;
            statements.push(readStatement(st as Record<string, unknown>));
        }
        return { kind: "document", statements, statementsUnknown };
    } catch {
        return { kind: "invalid", reason: "unreadable document" };
    }
}

function safeGet(obj: unknown, key: string): unknown {
    if (obj === null || typeof obj !== "object") return undefined;
    try {
        return (obj as Record<string, unknown>)[key];
    } catch {
        return undefined;
    }
}

function readStatement(st: Record<string, unknown>): PolicyStatement {
    const effectRaw = unwrapSecret(safeGet(st, "Effect")).value;
    const sidRaw = unwrapSecret(safeGet(st, "Sid")).value;
    const action = readStringList(safeGet(st, "Action"));
    const notAction = readStringList(safeGet(st, "NotAction"));
    const { entries, unknown } = readConditions(safeGet(st, "Condition"));
    return {
        sid: typeof sidRaw === "string" && !isUnknown(sidRaw) ? sidRaw : undefined,
        effect: typeof effectRaw === "string" && !isUnknown(effectRaw) ? effectRaw : undefined,
        effectUnknown: isUnknown(effectRaw),
        actions: action.present ? action.values : undefined,
        notActions: notAction.present ? notAction.values : undefined,
        actionsUnknown: action.unknown || notAction.unknown,
        conditions: entries,
        conditionsUnknown: unknown,
    };
}

/** A string or a list of strings; anything else (numbers, objects, unknowns) marks the list unknown. */
function readStringList(raw: unknown): { present: boolean; values: string[]; unknown: boolean } {
    const value = unwrapSecret(raw).value;
    if (value === undefined || value === null) return { present: false, values: [], unknown: false };
    if (isUnknown(value)) return { present: true, values: [], unknown: true };
    const items = Array.isArray(value) ? value : [value];
    const values: string[] = [];
    let unknown = false;
    for (const item of items) {
        const v = unwrapSecret(item).value;
        if (typeof v === "string" && !isUnknown(v)) values.push(v);
        else unknown = true;
    }
    return { present: true, values, unknown };
}

function readConditions(raw: unknown): { entries: ConditionEntry[]; unknown: boolean } {
    const block = unwrapSecret(raw).value;
    if (block === undefined || block === null) return { entries: [], unknown: false };
    if (isUnknown(block) || typeof block !== "object" || Array.isArray(block)) return { entries: [], unknown: true };
    const entries: ConditionEntry[] = [];
    let unknown = false;
    for (const operator of Object.keys(block)) {
        const keys = unwrapSecret(safeGet(block, operator)).value;
        if (keys === null || typeof keys !== "object" || Array.isArray(keys)) {
            unknown = true;
            continue;
        }
        const parsed = parseOperator(operator);
        for (const key of Object.keys(keys)) {
            const { values, hasUnknown } = conditionValues(safeGet(keys, key));
            entries.push({ operator, ...parsed, key: key.toLowerCase(), values, hasUnknown });
        }
    }
    return { entries, unknown };
}

function conditionValues(raw: unknown): { values: string[]; hasUnknown: boolean } {
    const value = unwrapSecret(raw).value;
    const items = Array.isArray(value) ? value : [value];
    const values: string[] = [];
    let hasUnknown = false;
    for (const item of items) {
        const v = unwrapSecret(item).value;
        if ((typeof v === "string" && !isUnknown(v)) || typeof v === "boolean" || typeof v === "number") values.push(String(v));
        else hasUnknown = true;
    }
    return { values, hasUnknown };
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts. */
export function parseOperator(operator: string): Pick<ConditionEntry, "baseOperator" | "setOperator" | "ifExists"> {
    let rest = operator.trim().toLowerCase();
    let setOperator: ConditionEntry["setOperator"];
    const colon = rest.indexOf(":");
    if (colon >= 0) {
        const prefix = rest.slice(0, colon);
        if (prefix === "foranyvalue" || prefix === "forallvalues") setOperator = prefix;
        rest = rest.slice(colon + 1);
    }
    const ifExists = rest.endsWith("ifexists");
    if (ifExists) rest = rest.slice(0, -"ifexists".length);
    return { baseOperator: rest, setOperator, ifExists };
}

/**
 * IAM wildcard match: `*` any run, `?` one character, case-insensitive (as IAM matches actions).
 * Iterative with single backtrack point, so time is O(pattern × text) at worst and never recursive.
 */
export function wildcardMatch(pattern: string, text: string, caseInsensitive = true): boolean {
    const p = caseInsensitive ? pattern.toLowerCase() : pattern;
    const t = caseInsensitive ? text.toLowerCase() : text;
    let pi = 0;
    let ti = 0;
    let star = -1;
    let mark = 0;
    while (ti < t.length) {
        if (pi < p.length && (p[pi] === "?" || p[pi] === t[ti])) {
            pi++;
            ti++;
        } else if (pi < p.length && p[pi] === "*") {
            star = pi++;
            mark = ti;
        } else if (star >= 0) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.length && p[pi] === "*") pi++;
    return pi === p.length;
}

export function hasWildcard(value: string): boolean {
    return value.includes("*") || value.includes("?");
}

/** A pattern that matches every action (`*`, `*:*`, `**`): no literal character at all. */
export function isFullWildcardAction(pattern: string): boolean {
    return /^[*?:]+$/.test(pattern.trim()) && pattern.includes("*");
}

export interface ActionCoverOptions {
    /** Count a bare `*` (and `*:*`) as covering the action. Default true. */
    includeFullWildcard?: boolean;
}

/** The first `Action` pattern that matches `action`; a full wildcard counts only with `includeFull`. */
export function matchingAction(st: PolicyStatement, action: string, includeFull: boolean): string | undefined {
    return st.actions?.find((p) => (includeFull || !isFullWildcardAction(p)) && wildcardMatch(p, action));
}

/**
 * Whether the statement's Action/NotAction grants `action`. "unknown" when an unreadable entry could
 * change the answer.
 */
export function statementCoversAction(st: PolicyStatement, action: string, options: ActionCoverOptions = {}): Tri {
    const includeFull = options.includeFullWildcard ?? true;
    if (st.actions !== undefined) {
        if (matchingAction(st, action, includeFull) !== undefined) return true;
        if (st.actionsUnknown) return "unknown";
    }
    if (st.notActions !== undefined) {
        const excluded = st.notActions.some((p) => wildcardMatch(p, action));
        if (excluded) return false;
        if (st.actionsUnknown) return "unknown";
        return true;
    }
    return false;
}

export function effectIs(st: PolicyStatement, effect: "Allow" | "Deny"): Tri {
    if (st.effectUnknown) return "unknown";
    return st.effect !== undefined && st.effect.trim().toLowerCase() === effect.toLowerCase();
}

/** Base operators that match values positively (equal or like), as opposed to negations and null checks. */
export const POSITIVE_MATCH_OPERATORS: readonly string[] = ["stringequals", "arnequals", "stringlike", "arnlike"];

/** How messages name a statement: by Sid when it has one, otherwise by its index. */
export function statementLabel(st: PolicyStatement, index: number): string {
    return st.sid ? `statement '${st.sid}'` : `statement ${index}`;
}

/** Conditions on `key` (case-insensitive), optionally limited to base operators such as `stringlike`. */
export function conditionsOn(st: PolicyStatement, key: string, baseOperators?: readonly string[]): ConditionEntry[] {
    const k = key.toLowerCase();
    return st.conditions.filter((c) => c.key === k && (baseOperators === undefined || baseOperators.includes(c.baseOperator)));
}

/** Operators whose values are patterns. */
export function isLikeOperator(entry: ConditionEntry): boolean {
    return entry.baseOperator === "stringlike" || entry.baseOperator === "arnlike";
}
