/**
 * Where inside a JSON or YAML document a credential sits, for the finding's path
 * (`containerDefinitions<json>[0].environment[1].value`). Detection never parses (credential-text.ts); this
 * runs only for a finding, and only on documents up to 1 MB: a larger one keeps the path of the string.
 */
import type * as Yaml from "yaml";
import { decodedPath, safeChildPath } from "./property-path";

const MAX_PARSE_CHARS = 1_000_000;
const MAX_NESTED_DOCUMENTS = 8;

export type ParsedCache = Map<string, { kind: "json" | "yaml"; value: unknown } | null>;

/**
 * The path suffix of the first place in `text` (parsed as JSON or YAML) whose key or string value holds
 * `needle`, descending into documents nested in string values; "" when `text` is not a document, is too
 * large, or does not hold the needle as a whole value.
 */
export function pathInDocument(text: string, needle: string, cache: ParsedCache = new Map()): string {
    let suffix = "";
    let doc = text;
    for (let depth = 0; depth < MAX_NESTED_DOCUMENTS; depth++) {
        const parsed = parse(doc, cache);
        if (!parsed) return suffix;
        const found = locate(parsed.value, needle, decodedPath("", parsed.kind));
        if (!found) return suffix;
        suffix += found.path;
        if (found.leaf === undefined) return suffix;
        doc = found.leaf;
    }
    return suffix;
}

function parse(text: string, cache: ParsedCache): { kind: "json" | "yaml"; value: unknown } | null {
    if (text.length > MAX_PARSE_CHARS || text.length < 2) return null;
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const result = parseJson(text) ?? parseYaml(text);
    cache.set(text, result);
    return result;
}

function parseJson(text: string): { kind: "json"; value: unknown } | null {
    const first = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text)?.[0];
    if (first !== "{" && first !== "[") return null;
    try {
        const value: unknown = JSON.parse(text);
        return value !== null && typeof value === "object" ? { kind: "json", value } : null;
    } catch {
        return null;
    }
}

/** The YAML parser loads on the first finding in a YAML-looking string: most runs never need it. */
let yamlModule: typeof Yaml | undefined;

function parseYaml(text: string): { kind: "yaml"; value: unknown } | null {
    if (!text.includes("\n") || !/^[ \t-]*[\w"'.-]+\s*:(?:\s|$)/m.test(text)) return null;
    try {
        yamlModule ??= require("yaml") as typeof Yaml;
        const docs = yamlModule.parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
        if (!Array.isArray(docs) || docs.length === 0 || docs.some((d) => d.errors.length > 0)) return null;
        const values = docs.map((d) => d.toJS({ maxAliasCount: 50 }) as unknown);
        if (!values.some((v) => v !== null && typeof v === "object")) return null;
        return { kind: "yaml", value: values.length === 1 ? values[0] : values };
    } catch {
        return null;
    }
}

/**
 * Depth-first in document order, iteratively (a deep document must not overflow the stack). A key holding
 * the needle ends the path at that key; a string value ends it there and is returned as `leaf` when it is
 * longer than the needle, so the caller can look inside it (a document in a string).
 */
function locate(root: unknown, needle: string, base: string): { path: string; leaf?: string } | undefined {
    const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: base }];
    const seen = new Set<object>();
    while (stack.length > 0) {
        const { value, path } = stack.pop()!;
        if (typeof value === "string") {
            if (value.includes(needle)) return value.length > needle.length ? { path, leaf: value } : { path };
            continue;
        }
        if (value === null || typeof value !== "object" || seen.has(value)) continue;
        seen.add(value);
        const entries: Array<[string | number, unknown]> = Array.isArray(value)
            ? value.map((v, i) => [i, v])
            : Object.entries(value as Record<string, unknown>);
        for (const [key] of entries) if (typeof key === "string" && key.includes(needle)) return { path: safeChildPath(path, key) };
        for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: safeChildPath(path, entries[i][0]) });
    }
    return undefined;
}
