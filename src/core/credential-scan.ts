/**
 * Finds AWS credentials anywhere in a property tree: plain values, JSON and YAML inside strings, base64
 * (and gzip inside base64) inside strings, asset and archive text. Text is read by credential-text.ts; this
 * file walks the tree, which adds what a property's place says: its name (`secretKey`), a key ID in a sibling
 * or a neighbouring array element (ECS `environment` entries, SSM `runCommand` lines), a key ID used as a
 * property name. Iterative so depth cannot overflow the stack, cycle-safe, and linear in the size of the
 * input: text is read in one pass, and decoded content is at most three base64 layers deep.
 */
import { isUtf8 } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { accountIdOfKeyId, classifyKeyId, keyIdKind, keyIdsLikeIn, maskKeyId, type KeyIdKind } from "./access-keys";
import { Label, NO_CONTEXT, Near, labelOf, scanText, unescapeLoosely, type TreeContext } from "./credential-text";
import { pathInDocument, type ParsedCache } from "./document-paths";
import { decodedPath, safeChildPath } from "./property-path";
import { assetContent, isUnknown, unwrapSecret } from "./pulumi-values";

export interface KeyIdFinding {
    kind: "access-key-id";
    path: string;
    /** First 4 + last 4 characters. The full ID is never kept in a finding. */
    masked: string;
    keyType: KeyIdKind;
    /** Decoded offline for new-generation key IDs that are not placeholders. */
    accountId?: string;
    /** AWS's documentation placeholder (…EXAMPLE). */
    example: boolean;
}

export interface SecretFinding {
    kind: "secret-access-key";
    path: string;
    /** AWS's documentation placeholder (…EXAMPLEKEY). */
    example: boolean;
}

export type CredentialFinding = KeyIdFinding | SecretFinding;

export interface ScanOptions {
    /** Stop after this many findings; a message listing hundreds of keys helps nobody. */
    maxFindings?: number;
    /** Asset and archive objects from the policy SDK with their content already read (resolvePulumiAssets). */
    assets?: ReadonlyMap<object, unknown>;
}

const DEFAULT_MAX_FINDINGS = 50;
const MAX_DECODE_DEPTH = 3;
const MAX_GUNZIP_BYTES = 16 * 1024 * 1024;
/** Array elements this many places apart are neighbours: the lines of a script, entries of an env list. */
const NEIGHBOURS = 2;
/** The shortest text a label can matter to: base64 of a key ID is 28 characters. */
const MIN_LABELLED = 28;

/**
 * A path kept as a chain of steps and rendered only when something is found: building a string for every
 * node of a large tree cost more than the rest of the scan. A decode step remembers the text the encoded
 * run came from, so a finding in it can say where in that document the run was.
 */
class PathRef {
    private constructor(
        private readonly parent: PathRef | undefined,
        private readonly step: string | number,
        private readonly source?: { text: string; run: string; encoding: "base64" | "gzip" },
    ) {}

    static root(base: string): PathRef {
        return new PathRef(undefined, base);
    }

    child(key: string | number): PathRef {
        return new PathRef(this, key);
    }

    decode(encoding: "base64" | "gzip", text: string, run: string): PathRef {
        return new PathRef(this, encoding, { text, run, encoding });
    }

    /** A loop, not recursion: a finding thousands of levels deep must not overflow the stack and be lost. */
    render(cache: ParsedCache): string {
        const chain: PathRef[] = [this];
        for (let p = this.parent; p !== undefined; p = p.parent) chain.push(p);
        let path = String(chain[chain.length - 1].step);
        for (let i = chain.length - 2; i >= 0; i--) {
            const { step, source } = chain[i];
            path = source ? decodedPath(path + pathInDocument(source.text, source.run, cache), source.encoding) : safeChildPath(path, step);
        }
        return path;
    }
}

interface Pending {
    value: unknown;
    path: PathRef;
    ctx: TreeContext;
    /** Key-ID evidence from an array neighbour, passed down to the members of an element object. */
    inherited: Near;
}

class Scan {
    readonly findings: CredentialFinding[] = [];
    private readonly seen = new Set<string>();
    private readonly visited = new WeakSet<object>();
    private readonly parsed: ParsedCache = new Map();

    constructor(
        private readonly max: number,
        private readonly assets: ReadonlyMap<object, unknown> | undefined,
    ) {}

    get full(): boolean {
        return this.findings.length >= this.max;
    }

    tree(root: unknown, rootPath: PathRef): void {
        const stack: Pending[] = [{ value: root, path: rootPath, ctx: NO_CONTEXT, inherited: Near.None }];
        while (stack.length > 0 && !this.full) {
            const { value: wrapped, path, ctx, inherited } = stack.pop()!;
            let value = unwrapSecret(wrapped).value;
            const asset = assetContent(value, this.assets);
            if (asset) value = asset.content;
            if (typeof value === "string") {
                this.text(value, path, ctx, 0);
                continue;
            }
            if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) continue;
            if (this.visited.has(value)) continue;
            this.visited.add(value);
            const { keys, values } = safeEntries(value);
            if (Array.isArray(value)) this.array(values, path, stack);
            else this.object(keys, values, path, ctx.label, inherited, stack);
        }
    }

    /** Lines of a script, entries of a list: a key ID in a neighbour, a label in the element before. */
    private array(values: unknown[], path: PathRef, stack: Pending[]): void {
        const near = values.map(shallowNear);
        for (let i = values.length - 1; i >= 0; i--) {
            if (!mayHold(plain(values[i]))) continue;
            let n: Near = Near.None;
            for (let j = Math.max(0, i - NEIGHBOURS); j <= Math.min(values.length - 1, i + NEIGHBOURS); j++) if (near[j] > n) n = near[j];
            const before = i > 0 ? plain(values[i - 1]) : undefined;
            const label = typeof before === "string" && before.length <= 64 ? labelOf(before) : Label.None;
            const ctx = label === Label.None && n === Near.None ? NO_CONTEXT : { label, near: n };
            stack.push({ value: values[i], path: path.child(i), ctx, inherited: n });
        }
    }

    /** `own` is the label of this object's name: a CloudFormation parameter `SecretAccessKey: {Default: …}`. */
    private object(keys: string[], values: unknown[], path: PathRef, own: Label, inherited: Near, stack: Pending[]): void {
        let near: Near = inherited;
        // ECS, CloudFormation and Elastic Beanstalk pairs: {name: "AWS_SECRET_ACCESS_KEY", value: "..."}.
        let pairLabel: Label = own;
        const keyNear: Near[] = new Array<Near>(keys.length);
        const plainValues = new Array<unknown>(keys.length);
        for (let i = 0; i < keys.length; i++) {
            const k = keys[i];
            keyNear[i] = this.keyName(k, path);
            if (keyNear[i] > near) near = keyNear[i];
            const s = (plainValues[i] = plain(values[i]));
            if (typeof s !== "string") continue;
            const n = textNear(s);
            if (n > near) near = n;
            if (NAME_FIELDS.has(k) && s.length < 256) {
                const l = labelOf(s);
                if (l > pairLabel) pairLabel = l;
            }
        }
        // Reverse so findings come out in document order.
        for (let i = keys.length - 1; i >= 0; i--) {
            const key = keys[i];
            const s = plainValues[i];
            if (!mayHold(s)) continue;
            // Names matter only to a string that can hold a secret key or base64 (reading every name of a
            // 100,000-entry map would cost more than the rest of the scan).
            let label: Label = Label.None;
            if (typeof s === "string" ? s.length >= MIN_LABELLED : !Array.isArray(s)) {
                label = labelOf(key);
                if (VALUE_FIELDS.has(key) && pairLabel > label) label = pairLabel;
            }
            // A key ID used as the property name: its value is the secret.
            const n = keyNear[i] > near ? keyNear[i] : near;
            const ctx = label === Label.None && n === Near.None ? NO_CONTEXT : { label, near: n };
            stack.push({ value: values[i], path: path.child(key), ctx, inherited: Near.None });
        }
    }

    /** A property name that is a key ID is a finding itself, and evidence for its value. */
    private keyName(key: string, path: PathRef): Near {
        let near: Near = Near.None;
        for (const { id } of keyIdsLikeIn(key)) {
            const cls = classifyKeyId(id);
            if (cls === "credential" || cls === "example") this.keyId(id, path.child(key), undefined);
            const n: Near = cls === "credential" ? Near.KeyId : Near.LookAlike;
            if (n > near) near = n;
        }
        return near;
    }

    /** `raw` is the text as it sits in its document (where paths are looked up); escapes are undone to read it. */
    private text(raw: string, path: PathRef, ctx: TreeContext, depth: number): void {
        if (this.full || raw.length < 20 || isUnknown(raw)) return;
        const found = scanText(unescapeLoosely(raw), ctx, 4 * this.max);
        for (const k of found.keyIds) this.keyId(k.id, path, raw);
        for (const s of found.secrets) this.secret(s.value, s.example, path, raw);
        if (depth >= MAX_DECODE_DEPTH) return;
        for (const e of found.encoded) {
            if (this.full) return;
            const decoded = decodeBase64Text(e.run);
            if (decoded === undefined) continue;
            const step = path.decode(decoded.gzip ? "gzip" : "base64", raw, e.run);
            this.text(decoded.text, step, e.context, depth + 1);
        }
    }

    private render(path: PathRef, document: string | undefined, needle: string): string {
        const base = path.render(this.parsed);
        return document === undefined ? base : base + pathInDocument(document, needle, this.parsed);
    }

    private add(finding: CredentialFinding, identity: string): void {
        const key = `${finding.kind}\u0000${finding.path}\u0000${identity}`;
        if (this.full || this.seen.has(key)) return;
        this.seen.add(key);
        this.findings.push(finding);
    }

    private keyId(id: string, path: PathRef, document: string | undefined): void {
        const masked = maskKeyId(id);
        this.add(
            {
                kind: "access-key-id",
                path: this.render(path, document, id),
                masked,
                keyType: keyIdKind(id),
                accountId: accountIdOfKeyId(id),
                example: classifyKeyId(id) === "example",
            },
            masked,
        );
    }

    private secret(secret: string, example: boolean, path: PathRef, document: string): void {
        // Identity by position only: the secret itself is never stored, not even hashed.
        this.add({ kind: "secret-access-key", path: this.render(path, document, secret), example }, "");
    }
}

const NAME_FIELDS = new Set(["name", "Name", "key", "Key", "ParameterKey", "OptionName", "optionName"]);
const VALUE_FIELDS = new Set(["value", "Value", "ParameterValue", "Default", "default"]);

function plain(value: unknown): unknown {
    return unwrapSecret(value).value;
}

/** Objects, and strings long enough for a key ID: everything else is skipped without a path or a stack entry. */
function mayHold(value: unknown): boolean {
    return typeof value === "string" ? value.length >= 20 : value !== null && typeof value === "object";
}

/** The strongest key-ID evidence in a text, without reading it further. */
function textNear(text: string): Near {
    let near: Near = Near.None;
    for (const { id } of keyIdsLikeIn(text)) {
        if (classifyKeyId(id) === "credential") return Near.KeyId;
        near = Near.LookAlike;
    }
    return near;
}

/** Key-ID evidence in an array element: its text, or the values of an element object one level down. */
function shallowNear(value: unknown): Near {
    const v = plain(value);
    if (typeof v === "string") return textNear(v);
    if (v === null || typeof v !== "object" || Array.isArray(v)) return Near.None;
    let near: Near = Near.None;
    const { keys, values } = safeEntries(v);
    for (let i = 0; i < keys.length; i++) {
        const c = plain(values[i]);
        for (const n of [textNear(keys[i]), typeof c === "string" ? textNear(c) : Near.None]) if (n > near) near = n;
    }
    return near;
}

/** Keys and values, reading each property once; a throwing getter reads as undefined. */
function safeEntries(value: object): { keys: string[]; values: unknown[] } {
    try {
        if (Array.isArray(value)) return { keys: [], values: value.slice() };
        const keys = Object.keys(value);
        const values = new Array<unknown>(keys.length);
        for (let i = 0; i < keys.length; i++) {
            try {
                values[i] = (value as Record<string, unknown>)[keys[i]];
            } catch {
                values[i] = undefined;
            }
        }
        return { keys, values };
    } catch {
        return { keys: [], values: [] };
    }
}

/** Decodes base64 that holds text (optionally gzipped, as cloud-init user data often is). */
function decodeBase64Text(run: string): { text: string; gzip: boolean } | undefined {
    let bytes = Buffer.from(run, "base64");
    let gzip = false;
    if (bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
            bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
            gzip = true;
        } catch {
            return undefined;
        }
    }
    // Random bytes are almost never valid UTF-8; text is. isUtf8 checks without the cost of a thrown error.
    if (!isMostlyText(bytes) || !isUtf8(bytes)) return undefined;
    return { text: bytes.toString("utf8"), gzip };
}

/** At most 2% control bytes; the first 4 KB decide for a large blob, so a binary one costs little. */
function isMostlyText(bytes: Buffer): boolean {
    if (bytes.length === 0) return false;
    const sample = bytes.length > 4096 ? bytes.subarray(0, 4096) : bytes;
    for (const part of sample === bytes ? [bytes] : [sample, bytes]) {
        let control = 0;
        for (const b of part) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) control++;
        if (control / part.length > 0.02) return false;
    }
    return true;
}

/**
 * Every AWS access key ID and secret access key in `value`, with the path where it sits. Never throws;
 * never returns a secret or a full key ID.
 */
export function scanForCredentials(value: unknown, options: ScanOptions = {}): CredentialFinding[] {
    const scan = new Scan(options.maxFindings ?? DEFAULT_MAX_FINDINGS, options.assets);
    try {
        scan.tree(value, PathRef.root(""));
    } catch {
        // A hostile value (a throwing proxy, a stack overflow in a parser) ends the scan, not the caller.
    }
    return scan.findings;
}
