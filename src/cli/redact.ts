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
        // fromEntries defines own properties: a "__proto__" key stays a key instead of setting the prototype.
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactCredentials(k), redactStrings(v)])) as T;
    }
    return value;
}
