/** Human-readable paths into property trees: `environment.variables.KEY`, `policies[0]["odd key"]`. */
import { redactCredentials } from "./access-keys";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    if (IDENTIFIER.test(key)) return parent === "" ? key : `${parent}.${key}`;
    return `${parent}[${JSON.stringify(key.length > 64 ? `${key.slice(0, 61)}...` : key)}]`;
}

/** A step whose key may be anything a program chose, a pasted key ID included: masked before it is shown or cut. */
export function safeChildPath(parent: string, key: string | number): string {
    return childPath(parent, typeof key === "number" ? key : redactCredentials(key));
}

/** Marks a step into a value decoded from a string: `userData<base64>`, `containerDefinitions<json>[0]`. */
export function decodedPath(parent: string, encoding: "json" | "yaml" | "base64" | "gzip"): string {
    return `${parent}<${encoding}>`;
}
