/**
 * Finds AWS credentials anywhere in a property tree: plain values, JSON and YAML inside strings, base64
 * (and gzip inside base64) inside strings. Iterative over objects so depth cannot overflow the stack,
 * cycle-safe, and linear in the size of the input: every regex has a fixed-width core, and decoded
 * content is at most three encodings deep.
 */
import { gunzipSync } from "node:zlib";
import type * as Yaml from "yaml";
import {
    SECRET_KEY_NAME,
    accountIdOfKeyId,
    hasSecretKeyShape,
    isExampleKeyId,
    isExampleSecret,
    containsKeyId,
    keyIdKind,
    keyIdPattern,
    looksRandomSecret,
    maskKeyId,
    secretPattern,
    type KeyIdKind,
} from "./access-keys";
import { childPath, decodedPath } from "./property-path";
import { isUnknown, unwrapSecret } from "./pulumi-values";

export interface KeyIdFinding {
    kind: "access-key-id";
    path: string;
    /** First 4 + last 4 characters. The full ID is never kept in a finding. */
    masked: string;
    keyType: KeyIdKind;
    /** Decoded offline for new-generation key IDs. */
    accountId?: string;
    example: boolean;
}

export interface SecretFinding {
    kind: "secret-access-key";
    path: string;
    example: boolean;
}

export type CredentialFinding = KeyIdFinding | SecretFinding;

export interface ScanOptions {
    /** Stop after this many findings; a message listing hundreds of keys helps nobody. */
    maxFindings?: number;
}

const DEFAULT_MAX_FINDINGS = 50;
const MAX_DECODE_DEPTH = 3;
const MAX_YAML_CHARS = 1_000_000;
const MAX_GUNZIP_BYTES = 16 * 1024 * 1024;
const SECRET_LABEL_WINDOW = 64;
const BASE64_ALPHABET = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") BASE64_ALPHABET[ch.charCodeAt(0)] = 1;

/** Length of the longest run of [A-Za-z0-9+/]: a plain loop, linear and several times cheaper than a regex pre-test. */
function longestBase64Run(text: string): number {
    let longest = 0;
    let run = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 128 && BASE64_ALPHABET[c] === 1) {
            if (++run > longest) longest = run;
        } else {
            run = 0;
        }
    }
    return longest;
}
// A source, not a RegExp: base64Runs recurses, so each call needs its own lastIndex.
const BASE64_RUN = String.raw`(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{28,}={0,2}(?![A-Za-z0-9+/=])`;

interface StringContext {
    /** The string sits under a secret-looking name (`secretKey`, `AWS_SECRET_ACCESS_KEY`). */
    namedSecret: boolean;
    /** A key ID sits beside it (a sibling property). */
    keyIdBeside: boolean;
}

/**
 * A path kept as a chain of steps and rendered only when something is found: building a string for every
 * node of a large tree cost more than the rest of the scan.
 */
class PathRef {
    constructor(
        private readonly parent: PathRef | undefined,
        private readonly step: string | number,
        private readonly decoded = false,
    ) {}

    static root(base: string): PathRef {
        return new PathRef(undefined, base);
    }

    child(key: string | number): PathRef {
        return new PathRef(this, key);
    }

    decode(encoding: "json" | "yaml" | "base64" | "gzip"): PathRef {
        return new PathRef(this, encoding, true);
    }

    /** A loop, not recursion: a finding thousands of levels deep must not overflow the stack and be lost. */
    render(): string {
        const chain: PathRef[] = [this];
        for (let p = this.parent; p !== undefined; p = p.parent) chain.push(p);
        let path = String(chain[chain.length - 1].step);
        for (let i = chain.length - 2; i >= 0; i--) {
            const { step, decoded } = chain[i];
            path = decoded ? decodedPath(path, step as "json") : childPath(path, step);
        }
        return path;
    }
}

interface Pending {
    value: unknown;
    path: PathRef;
    ctx: StringContext;
}

const ROOT_CONTEXT: StringContext = { namedSecret: false, keyIdBeside: false };

class Scan {
    readonly findings: CredentialFinding[] = [];
    private readonly seen = new Set<string>();
    private readonly visited = new WeakSet<object>();

    constructor(private readonly max: number) {}

    get full(): boolean {
        return this.findings.length >= this.max;
    }

    add(finding: CredentialFinding, identity: string): void {
        const key = `${finding.kind}\u0000${finding.path}\u0000${identity}`;
        if (this.full || this.seen.has(key)) return;
        this.seen.add(key);
        this.findings.push(finding);
    }

    tree(root: unknown, rootPath: PathRef, depth: number): void {
        const stack: Pending[] = [{ value: root, path: rootPath, ctx: ROOT_CONTEXT }];
        while (stack.length > 0 && !this.full) {
            const { value: wrapped, path, ctx } = stack.pop()!;
            const value = unwrapSecret(wrapped).value;
            if (typeof value === "string") {
                this.string(value, path, ctx, depth);
                continue;
            }
            if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) continue;
            if (this.visited.has(value)) continue;
            this.visited.add(value);
            const entries = safeEntries(value);
            if (Array.isArray(value)) {
                for (let i = entries.length - 1; i >= 0; i--) {
                    stack.push({ value: entries[i][1], path: path.child(i), ctx: ROOT_CONTEXT });
                }
                continue;
            }
            let keyIdBeside = false;
            // ECS, CloudFormation and Lambda-layer style pairs: {name: "AWS_SECRET_ACCESS_KEY", value: "..."}.
            let pairNamedSecret = false;
            for (const [k, v] of entries) {
                const s = unwrapSecret(v).value;
                if (typeof s !== "string") continue;
                if (!keyIdBeside && containsKeyId(s)) keyIdBeside = true;
                if (!pairNamedSecret && NAME_FIELDS.has(k) && s.length < 256 && SECRET_KEY_NAME.test(s)) pairNamedSecret = true;
            }
            // Reverse so findings come out in document order.
            for (let i = entries.length - 1; i >= 0; i--) {
                const [key, child] = entries[i];
                const namedSecret = SECRET_KEY_NAME.test(key) || (pairNamedSecret && VALUE_FIELDS.has(key));
                stack.push({
                    value: child,
                    path: path.child(key),
                    ctx: namedSecret || keyIdBeside ? { namedSecret, keyIdBeside } : ROOT_CONTEXT,
                });
            }
        }
    }

    string(text: string, path: PathRef, ctx: StringContext, depth: number): void {
        if (this.full || text.length < 20 || isUnknown(text)) return;
        // JSON first: its parsed values are tested one by one, so a whole-body pre-test would be wasted.
        if (depth < MAX_DECODE_DEPTH && this.json(text, path, depth)) return;
        // One linear pass decides which of the regex passes below can find anything at all: a key ID is a
        // 20-character run of this alphabet, base64 worth decoding at least 28, a secret exactly 40.
        const run = longestBase64Run(text);
        if (run < 20) return;
        const keyIdInText = containsKeyId(text);
        if (run < 28 && !keyIdInText) return;
        if (depth < MAX_DECODE_DEPTH && this.yaml(text, path, depth)) return;

        if (keyIdInText) {
            const ids = keyIdPattern();
            for (let m = ids.exec(text); m && !this.full; m = ids.exec(text)) this.keyId(m[0], path);
        }

        if (run >= 40) this.secrets(text, ctx, keyIdInText, path);
        if (depth < MAX_DECODE_DEPTH && run >= 28) this.base64Runs(text, path, depth);
    }

    private secrets(text: string, ctx: StringContext, keyIdInText: boolean, path: PathRef): void {
        const trimmed = text.trim();
        if (ctx.namedSecret && hasSecretKeyShape(trimmed)) {
            this.secret(trimmed, path);
            return;
        }
        const secrets = secretPattern();
        for (let m = secrets.exec(text); m && !this.full; m = secrets.exec(text)) {
            const candidate = m[0];
            if (!looksRandomSecret(candidate)) continue;
            const label = text.slice(Math.max(0, m.index - SECRET_LABEL_WINDOW), m.index);
            const whole = candidate.length === trimmed.length;
            if (keyIdInText || SECRET_KEY_NAME.test(label) || (whole && ctx.keyIdBeside)) this.secret(candidate, path);
        }
    }

    private keyId(id: string, path: PathRef): void {
        const masked = maskKeyId(id);
        this.add(
            {
                kind: "access-key-id",
                path: path.render(),
                masked,
                keyType: keyIdKind(id),
                accountId: accountIdOfKeyId(id),
                example: isExampleKeyId(id),
            },
            masked,
        );
    }

    private secret(secret: string, path: PathRef): void {
        // Identity by position only: the secret itself is never stored, not even hashed.
        this.add({ kind: "secret-access-key", path: path.render(), example: isExampleSecret(secret) }, "");
    }

    /** JSON or YAML documents inside a string are walked as trees so paths and sibling names stay meaningful. */
    private json(text: string, path: PathRef, depth: number): boolean {
        const start = firstNonSpace(text);
        if (start !== "{" && start !== "[") return false;
        try {
            const parsed: unknown = JSON.parse(text);
            if (parsed === null || typeof parsed !== "object") return false;
            this.tree(parsed, path.decode("json"), depth + 1);
            return true;
        } catch {
            // Not JSON after all: YAML or plain text.
            return false;
        }
    }

    private yaml(text: string, path: PathRef, depth: number): boolean {
        if (text.length > MAX_YAML_CHARS || !text.includes("\n") || !/^[ \t-]*[\w"'.-]+\s*:(?:\s|$)/m.test(text)) {
            return false;
        }
        try {
            const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
            if (!Array.isArray(docs) || docs.length === 0) return false;
            if (docs.some((d) => d.errors.length > 0)) return false;
            const values = docs.map((d) => d.toJS({ maxAliasCount: 50 }) as unknown);
            if (!values.some((v) => v !== null && typeof v === "object")) return false;
            const base = path.decode("yaml");
            values.forEach((v, i) => this.tree(v, values.length === 1 ? base : base.child(i), depth + 1));
            return true;
        } catch {
            return false;
        }
    }

    private base64Runs(text: string, path: PathRef, depth: number): void {
        const runs = new RegExp(BASE64_RUN, "g");
        for (let m = runs.exec(text); m && !this.full; m = runs.exec(text)) {
            const decoded = decodeBase64Text(m[0]);
            if (decoded !== undefined) {
                this.string(decoded.text, path.decode(decoded.gzip ? "gzip" : "base64"), ROOT_CONTEXT, depth + 1);
            }
        }
    }
}

/**
 * The YAML parser loads on the first YAML-looking string: most property trees have none, and the policy
 * pack's start-up time should not pay for it (about 100 ms cold).
 */
let yamlModule: typeof Yaml | undefined;
function parseAllDocuments(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions) {
    yamlModule ??= require("yaml") as typeof Yaml;
    return yamlModule.parseAllDocuments(text, options);
}

const NAME_FIELDS = new Set(["name", "Name", "key", "Key", "ParameterKey", "OptionName"]);
const VALUE_FIELDS = new Set(["value", "Value", "ParameterValue"]);

function firstNonSpace(text: string): string {
    const m = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text);
    return m ? m[0] : "";
}

function safeEntries(value: object): Array<[string, unknown]> {
    try {
        if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
        return Object.keys(value).map((k) => {
            try {
                return [k, (value as Record<string, unknown>)[k]];
            } catch {
                return [k, undefined];
            }
        });
    } catch {
        return [];
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
    if (!isMostlyText(bytes)) return undefined;
    try {
        // Random bytes are almost never valid UTF-8; text is.
        return { text: UTF8.decode(bytes), gzip };
    } catch {
        return undefined;
    }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function isMostlyText(bytes: Buffer): boolean {
    if (bytes.length === 0) return false;
    let control = 0;
    for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) control++;
    return control / bytes.length <= 0.02;
}

/**
 * Every AWS access key ID and secret access key in `value`, with the path where it sits. Never throws;
 * never returns a secret or a full key ID.
 */
export function scanForCredentials(value: unknown, options: ScanOptions = {}): CredentialFinding[] {
    const scan = new Scan(options.maxFindings ?? DEFAULT_MAX_FINDINGS);
    try {
        scan.tree(value, PathRef.root(""), 0);
    } catch {
        // A hostile value (a throwing proxy, a stack overflow in a parser) ends the scan, not the caller.
    }
    return scan.findings;
}
