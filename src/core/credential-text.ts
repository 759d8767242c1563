/**
 * Credentials in one piece of text: a property value, a JSON or YAML document inside one, decoded user data.
 * Key IDs are found by their format; a 40-character run is a secret key only with evidence near it: a label
 * that names a secret key, a key ID, or a weaker label beside a key-ID look-alike. Text is never parsed for
 * this — JSON, YAML, scripts and INI files all put a label and its value side by side — so detection does not
 * depend on a document's size or syntax, and costs one pass of a key-ID regex and one strided probe for long
 * runs of base64 characters.
 */
import { classifyKeyId, classifySecret, keyIdsLikeIn, type KeyIdClass } from "./access-keys";

/**
 * Evidence that a 40-character run is a secret key, from its label: Weak for `secret`, `password`, `token`,
 * `key`, `credential` (a secret of some kind); Strong for `aws_secret_access_key`, `SecretAccessKey`,
 * `secret key`, `aws_key` (an AWS secret key).
 */
export const Label = { None: 0, Weak: 1, Strong: 2 } as const;
export type Label = (typeof Label)[keyof typeof Label];

/**
 * Evidence from key IDs nearby: LookAlike for a look-alike (0/1/8/9), placeholder or documentation key ID;
 * KeyId for a key ID as AWS issues them.
 */
export const Near = { None: 0, LookAlike: 1, KeyId: 2 } as const;
export type Near = (typeof Near)[keyof typeof Near];

/** What a value's place in the property tree says about it (its name, its siblings). */
export interface TreeContext {
    label: Label;
    near: Near;
}

export const NO_CONTEXT: TreeContext = { label: Label.None, near: Near.None };

export interface KeyIdHit {
    id: string;
    cls: Extract<KeyIdClass, "credential" | "example">;
}

export interface SecretHit {
    /** The secret itself, for locating it in a parsed document; never stored in a finding. */
    value: string;
    example: boolean;
}

/** A run of base64 worth decoding, with the evidence its own label and neighbours give its content. */
export interface EncodedRun {
    run: string;
    context: TreeContext;
}

export interface TextScan {
    keyIds: KeyIdHit[];
    secrets: SecretHit[];
    encoded: EncodedRun[];
    /** Whether any key ID or look-alike appears in the text (evidence for the text's siblings). */
    near: Near;
}

/** A secret key this far (characters) from a key ID counts as its pair; further away it is unrelated. */
const PAIR_WINDOW = 200;
const PAIR_MAX_LINES = 4;
/** Separators only between a look-alike and a run: `AKIA…,secret`, `("AKIA…", "secret")`. */
const ADJACENT = 8;
/** Tree context (a sibling's key ID, the property name) applies to texts up to this size: a value, a line. */
const SHORT_TEXT = 1024;
const MIN_ENCODED_RUN = 28;

/**
 * JSON and JavaScript escapes hide boundaries (`\nAKIA…` reads as `nAKIA…`) and split values (`\/`). Any
 * run of backslashes before a known escape is undone, so doubly encoded JSON reads like plain JSON; other
 * backslashes stay, as separators.
 */
export function unescapeLoosely(text: string): string {
    if (!text.includes("\\")) return text;
    return text.replace(/\\+(u[0-9a-fA-F]{4}|[nrtbf"'/])/g, (_, e: string) => {
        if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
        return "nrtbf".includes(e) ? "\n" : e;
    });
}

/** Character classes for runs: Std is [A-Za-z0-9+/] (base64, secret keys), Url adds - and _ (base64url, JWTs). */
const Ch = { None: 0, Std: 1, Url: 2 } as const;
type Ch = (typeof Ch)[keyof typeof Ch];

const CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") CHAR[c.charCodeAt(0)] = Ch.Std;
CHAR["-".charCodeAt(0)] = Ch.Url;
CHAR["_".charCodeAt(0)] = Ch.Url;

function ch(text: string, i: number): Ch {
    const c = text.charCodeAt(i);
    return c < 128 ? (CHAR[c] as Ch) : Ch.None;
}

interface IdSpot {
    start: number;
    end: number;
    near: Near;
}

/**
 * Scans one text (already unescaped) given what the tree says about it. Stops reading runs once `maxHits` key
 * IDs and secrets are found: a text with thousands of keys is flagged by its first few.
 */
export function scanText(text: string, context: TreeContext, maxHits = Infinity): TextScan {
    const out: TextScan = { keyIds: [], secrets: [], encoded: [], near: Near.None };
    const spots = keyIdSpots(text, out);
    if (text.length < MIN_ENCODED_RUN) return out;
    const tree: TreeContext = text.length <= SHORT_TEXT ? context : NO_CONTEXT;
    forEachRun(text, (start, end) => {
        inspectRun(text, start, end, spots, tree, out);
        return out.keyIds.length + out.secrets.length < maxHits;
    });
    return out;
}

function keyIdSpots(text: string, out: TextScan): IdSpot[] {
    const spots: IdSpot[] = [];
    for (const { id, index } of keyIdsLikeIn(text)) {
        const cls = classifyKeyId(id);
        const near = cls === "credential" ? Near.KeyId : Near.LookAlike;
        spots.push({ start: index, end: index + id.length, near });
        if (near > out.near) out.near = near;
        if (cls === "credential" || cls === "example") out.keyIds.push({ id, cls });
    }
    return spots;
}

/**
 * Calls `visit` for every maximal run of at least MIN_ENCODED_RUN characters of [A-Za-z0-9+/_-]. Any such run
 * covers a multiple of MIN_ENCODED_RUN, so probing every MIN_ENCODED_RUN-th character finds them all while
 * reading a fraction of the text; base64 split over lines (as `base64` wraps it) comes back as one run.
 */
function forEachRun(text: string, visit: (start: number, end: number) => boolean | void): void {
    const n = text.length;
    let floor = 0;
    for (let i = MIN_ENCODED_RUN - 1; i < n;) {
        if (ch(text, i) === Ch.None) {
            i += MIN_ENCODED_RUN;
            continue;
        }
        let start = i;
        while (start > floor && ch(text, start - 1) !== Ch.None) start--;
        let end = i + 1;
        while (end < n && ch(text, end) !== Ch.None) end++;
        if (end - start >= MIN_ENCODED_RUN) end = wrappedBlockEnd(text, start, end);
        if (end - start >= MIN_ENCODED_RUN && visit(start, end) === false) return;
        floor = end;
        i = end + MIN_ENCODED_RUN;
    }
}

/** A base64 block wrapped at a fixed width (76 for `base64`, 64 for PEM): lines of equal length, the last shorter. */
function wrappedBlockEnd(text: string, start: number, end: number): number {
    const width = end - start;
    if (width < 40 || width % 4 !== 0) return end;
    let blockEnd = end;
    for (;;) {
        let next = blockEnd;
        if (text.charCodeAt(next) === 13) next++;
        if (text.charCodeAt(next) !== 10) return blockEnd;
        next++;
        while (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9) next++;
        let lineEnd = next;
        while (lineEnd < text.length && ch(text, lineEnd) !== Ch.None) lineEnd++;
        const len = lineEnd - next;
        if (len === 0 || len > width) return blockEnd;
        blockEnd = lineEnd;
        if (len < width) return blockEnd;
    }
}

function inspectRun(text: string, start: number, end: number, spots: IdSpot[], tree: TreeContext, out: TextScan): void {
    let upper = false;
    let lower = false;
    // Secret keys are runs of exactly 40 [A-Za-z0-9+/] inside the run, between - or _ or the run's ends.
    let sub = start;
    for (let i = start; i <= end; i++) {
        const c = i < end ? text.charCodeAt(i) : 0;
        if (c >= 65 && c <= 90) upper = true;
        else if (c >= 97 && c <= 122) lower = true;
        if (i < end && ch(text, i) === Ch.Std) continue;
        if (i - sub === 40 && text.charCodeAt(i) !== 61 /* = */) candidate(text, sub, spots, tree, out);
        sub = i + 1;
    }
    // Base64 of text has both cases; hex digests, words and upper-case identifiers do not.
    if (upper && lower) {
        const run = text.slice(start, end);
        out.encoded.push({ run, context: evidenceAt(text, start, end, spots, tree) });
    }
}

function candidate(text: string, start: number, spots: IdSpot[], tree: TreeContext, out: TextScan): void {
    // Evidence first: it reads a few dozen characters, while most 40-character runs (hashes, tokens, words) have none.
    const ev = evidenceAt(text, start, start + 40, spots, tree);
    const adjacent = ev.near === Near.LookAlike && lookAlikeAdjacent(text, start, start + 40, spots);
    if (!(ev.label === Label.Strong || ev.near === Near.KeyId || (ev.near === Near.LookAlike && (ev.label === Label.Weak || adjacent))))
        return;
    const value = text.slice(start, start + 40);
    const cls = classifySecret(value);
    if (cls === "secret" || cls === "example") out.secrets.push({ value, example: cls === "example" });
}

/** The label before [start, end) and the key IDs near it, joined with what the tree says about a short text. */
function evidenceAt(text: string, start: number, end: number, spots: IdSpot[], tree: TreeContext): TreeContext {
    let label = labelBefore(text, start);
    let near = nearKeyId(text, start, end, spots);
    if (isWhole(text, start, end) && tree.label > label) label = tree.label;
    if (tree.near > near) near = tree.near;
    return { label, near };
}

function isWhole(text: string, start: number, end: number): boolean {
    for (let i = 0; i < start; i++) if (!isQuoteOrSpace(text.charCodeAt(i))) return false;
    for (let i = end; i < text.length; i++) if (!isQuoteOrSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 61) return false;
    return true;
}

function isQuoteOrSpace(c: number): boolean {
    return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 96;
}

/** Spots (sorted by position) that end after `from` and start before `to`: a binary search, then a short walk. */
function spotsBetween(spots: IdSpot[], from: number, to: number): IdSpot[] {
    let lo = 0;
    let hi = spots.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (spots[mid].end < from) lo = mid + 1;
        else hi = mid;
    }
    const out: IdSpot[] = [];
    for (let i = lo; i < spots.length && spots[i].start <= to; i++) out.push(spots[i]);
    return out;
}

function gapBetween(s: IdSpot, start: number, end: number): [number, number] | undefined {
    if (s.end <= start) return [s.end, start];
    if (s.start >= end) return [end, s.start];
    return undefined;
}

function nearKeyId(text: string, start: number, end: number, spots: IdSpot[]): Near {
    let best: Near = Near.None;
    for (const s of spotsBetween(spots, start - PAIR_WINDOW, end + PAIR_WINDOW)) {
        const gap = gapBetween(s, start, end);
        if (!gap || s.near <= best) continue;
        let lines = 0;
        for (let i = gap[0]; i < gap[1]; i++) if (text.charCodeAt(i) === 10) lines++;
        if (lines <= PAIR_MAX_LINES) best = s.near;
    }
    return best;
}

function lookAlikeAdjacent(text: string, start: number, end: number, spots: IdSpot[]): boolean {
    return spotsBetween(spots, start - ADJACENT, end + ADJACENT).some((s) => {
        const gap = gapBetween(s, start, end);
        if (!gap || gap[1] - gap[0] > ADJACENT) return false;
        for (let i = gap[0]; i < gap[1]; i++) if (!isGap(text.charCodeAt(i)) || text.charCodeAt(i) === 10) return false;
        return true;
    });
}

// Between a label and its value: `": "`, ` = '`, `=> "`, `:\n  `, `>` (XML), `(`, `,`, `\` of escaped quotes.
const GAP = new Uint8Array(128);
for (const c of " \t\r\n\"'`:=><(){}[],\\|!?$@&*;") GAP[c.charCodeAt(0)] = 1;
// Label text: identifiers and short phrases (`aws_secret_access_key`, `secret key`, `--secret-key`).
const PHRASE = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.- ") PHRASE[c.charCodeAt(0)] = 1;

function isGap(c: number): boolean {
    return c < 128 && GAP[c] === 1;
}

function isPhrase(c: number): boolean {
    return c < 128 && PHRASE[c] === 1;
}

const MAX_GAP = 24;
const MAX_PHRASE = 48;
/** A pair written as {name: "AWS_SECRET_ACCESS_KEY", value: "…"}: the label is the name before `value`. */
const VALUE_FIELDS = new Set(["value", "parametervalue", "optionvalue", "default", "defaultvalue"]);

/** The strongest label directly before `start`: the identifier or short phrase the value is assigned to. */
function labelBefore(text: string, start: number): Label {
    let i = start;
    for (let hop = 0; hop < 2; hop++) {
        let newlines = 0;
        const gapEnd = i;
        for (;;) {
            const c = text.charCodeAt(i - 1);
            // A YAML block scalar's chomping indicator: `secret_access_key: >-` then the value on the next line.
            const chomp = (c === 45 || c === 43) && (text.charCodeAt(i - 2) === 124 || text.charCodeAt(i - 2) === 62);
            if (i === 0 || !(isGap(c) || chomp)) break;
            if (c === 10 && ++newlines > 1) return Label.None;
            if (gapEnd - --i > MAX_GAP) return Label.None;
        }
        const phraseEnd = i;
        while (i > 0 && phraseEnd - i < MAX_PHRASE && isPhrase(text.charCodeAt(i - 1))) i--;
        const phrase = lastWords(text.slice(i, phraseEnd));
        if (phrase === "") return Label.None;
        const label = labelOf(phrase);
        if (label !== Label.None) return label;
        if (!VALUE_FIELDS.has(normalize(phrase))) return Label.None;
        let keyStart = i;
        while (text.charCodeAt(keyStart) === 32) keyStart++;
        const parent = yamlParentKey(text, keyStart);
        if (parent !== undefined) return labelOf(parent);
    }
    return Label.None;
}

const PARENT_LINES = 8;

/**
 * The mapping key a YAML `Default:`/`value:` line belongs to (a CloudFormation parameter's name): the nearest
 * line above, within a few, that is indented less and ends in `key:`. Undefined when `at` does not start a
 * line's key or no such line is near.
 */
function yamlParentKey(text: string, at: number): string | undefined {
    let lineStart = at;
    while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 45)) lineStart--;
    if (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) return undefined;
    const indent = at - lineStart;
    let end = lineStart - 1;
    for (let n = 0; n < PARENT_LINES && end > 0; n++) {
        const start = text.lastIndexOf("\n", end - 1) + 1;
        const line = text.slice(start, end);
        const m = /^( *)([\w.-]+|"[^"]+"|'[^']+'):\s*$/.exec(line);
        if (m && m[1].length < indent) return m[2];
        if (/^ *\S/.test(line) && (/^ */.exec(line)?.[0].length ?? 0) < indent && !m) return undefined;
        end = start - 1;
    }
    return undefined;
}

/** The last three words of a phrase: `aws configure set aws_secret_access_key` → `set aws_secret_access_key`. */
function lastWords(phrase: string): string {
    let end = phrase.length;
    while (end > 0 && phrase.charCodeAt(end - 1) === 32) end--;
    let start = end;
    for (let words = 0; start > 0; start--) {
        if (phrase.charCodeAt(start - 1) === 32 && phrase.charCodeAt(start) !== 32 && ++words === 3) break;
    }
    while (start < end && phrase.charCodeAt(start) === 32) start++;
    return phrase.slice(start, end);
}

function normalize(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** How strongly a property name or label says its value is a secret key. */
export function labelOf(name: string): Label {
    if (name.length > 200) return Label.None;
    const n = normalize(name);
    if (n === "") return Label.None;
    if (/secret(?:access)?key|awssecret|secretaccess|accesssecret/.test(n)) return Label.Strong;
    // A session token is never a secret key, whatever its name says about AWS.
    if (/aws|amazon/.test(n) && /key|pass|pwd|token|cred/.test(n) && !n.includes("session")) return Label.Strong;
    if (/secret|passw|pwd|token|cred|key|auth/.test(n) || n === "sk" || n === "pass") return Label.Weak;
    return Label.None;
}
