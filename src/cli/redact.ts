/**
 * Every command's output passes through the same redaction, value by value, before it is laid out: a table
 * measures its columns on what it will print, and a JSON document redacts each string before escaping (in JSON
 * text a key after "\n" reads as "nAKIA…" and would slip past a pass over the finished text).
 */
import { redactCredentials } from "../core/access-keys";

/** `value` with every string in it redacted; objects and arrays are copied, other values kept. */
export function redactStrings<T>(value: T): T {
    if (typeof value === "string") return redactCredentials(value) as T;
    if (Array.isArray(value)) return value.map(redactStrings) as T;
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[redactCredentials(k)] = redactStrings(v);
        return out as T;
    }
    return value;
}
