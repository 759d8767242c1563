/**
 * AWS access key formats: what a key ID and a secret access key look like, how to show them safely,
 * and which AWS account a key ID belongs to. Pure functions, shared by the pack, the remediator and the CLI.
 */

/** Prefixes of key IDs that are credentials. AIDA/AROA/AGPA/ANPA… are identifiers, never credentials. */
export const CREDENTIAL_KEY_PREFIXES = ["AKIA", "ASIA", "ABIA", "ACCA"] as const;
export type CredentialKeyPrefix = (typeof CREDENTIAL_KEY_PREFIXES)[number];

const KEY_ID_BODY = `(?:${CREDENTIAL_KEY_PREFIXES.join("|")})[A-Z2-7]{16}`;
// Boundaries keep a key ID from matching inside a longer token (a hash, a base64 blob).
const KEY_ID_IN_TEXT = `(?<![A-Za-z0-9])${KEY_ID_BODY}(?![A-Za-z0-9])`;
const SECRET_BODY = "[A-Za-z0-9/+]{40}";
// "=" may follow (base64 padding of a longer blob) but may precede (`KEY=value`).
const SECRET_IN_TEXT = `(?<![A-Za-z0-9/+])${SECRET_BODY}(?![A-Za-z0-9/+=])`;

const KEY_ID_EXACT = new RegExp(`^${KEY_ID_BODY}$`);
const SECRET_EXACT = new RegExp(`^${SECRET_BODY}$`);
const LOWER_HEX_40 = /^[0-9a-f]{40}$/;

/** A fresh global regex (callers iterate with lastIndex) that finds key IDs in free text. */
export function keyIdPattern(): RegExp {
    return new RegExp(KEY_ID_IN_TEXT, "g");
}

const KEY_ID_PREFIX = new RegExp(CREDENTIAL_KEY_PREFIXES.join("|"));
const KEY_ID_TEST = new RegExp(KEY_ID_IN_TEXT);

/** Whether free text holds a key ID anywhere (no allocation: safe to call on every value of a large tree). */
export function containsKeyId(text: string): boolean {
    return text.length >= 20 && KEY_ID_PREFIX.test(text) && KEY_ID_TEST.test(text);
}

/** A fresh global regex that finds 40-character secret-key-shaped runs in free text. */
export function secretPattern(): RegExp {
    return new RegExp(SECRET_IN_TEXT, "g");
}

/** Property or label names under which a 40-character value is a secret access key. */
export const SECRET_KEY_NAME = /secret[\s_-]*(?:access[\s_-]*)?key|aws[\s_-]*secret/i;

export function isAccessKeyId(value: string): boolean {
    return value.length === 20 && KEY_ID_EXACT.test(value);
}

/** True for 40 chars of [A-Za-z0-9/+] that are not a lowercase hex digest (SHA-1, git commit). */
export function hasSecretKeyShape(value: string): boolean {
    return value.length === 40 && SECRET_EXACT.test(value) && !LOWER_HEX_40.test(value);
}

/**
 * Stricter test for a secret found in free text rather than under a secret-looking name: random
 * 40-character base64 has upper, lower and digit characters in all but a fraction of a percent of keys,
 * while paths and words that happen to be 40 characters long rarely do.
 */
export function looksRandomSecret(value: string): boolean {
    return hasSecretKeyShape(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

export type KeyIdKind = "long-term" | "temporary" | "bearer-token" | "context-specific";

export function keyIdKind(keyId: string): KeyIdKind {
    switch (keyId.slice(0, 4)) {
        case "AKIA":
            return "long-term";
        case "ASIA":
            return "temporary";
        case "ABIA":
            return "bearer-token";
        default:
            return "context-specific";
    }
}

/** AWS documentation placeholders such as AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. */
export function isExampleKeyId(keyId: string): boolean {
    return keyId.endsWith("EXAMPLE");
}

export function isExampleSecret(secret: string): boolean {
    return secret.endsWith("EXAMPLEKEY");
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The 12-digit AWS account a new-generation key ID belongs to, decoded offline (method published by
 * Aidan Steele and Tal Beery). Undefined for old-generation IDs, where the bits carry no account.
 */
export function accountIdOfKeyId(keyId: string): string | undefined {
    if (!isAccessKeyId(keyId)) return undefined;
    let bits = 0n;
    for (const ch of keyId.slice(4)) bits = (bits << 5n) | BigInt(BASE32.indexOf(ch));
    // 16 base32 chars = 80 bits; the account sits in the first 6 bytes.
    const z = bits >> 32n;
    if ((z & 0x800000000000n) === 0n) return undefined;
    const account = (z & 0x7fffffffff80n) >> 7n;
    return account.toString().padStart(12, "0");
}

/** First 4 and last 4 characters; the rest never leaves the process. */
export function maskKeyId(keyId: string): string {
    if (keyId.length < 12) return "****";
    return `${keyId.slice(0, 4)}****${keyId.slice(-4)}`;
}

/**
 * Scrubs free text (error messages, SDK responses, log lines) of anything credential-shaped: key IDs
 * become masked, 40-character secret-shaped runs disappear. The last line of defence, not the first.
 */
export function redactCredentials(text: string): string {
    return text
        .replace(keyIdPattern(), (id) => maskKeyId(id))
        .replace(secretPattern(), (s) => (hasSecretKeyShape(s) && !looksLikePath(s) ? "[redacted secret]" : s));
}

/**
 * A 40-character file path (`/tmp/ci/tests/fixtures/exports/missing`) has the secret alphabet too. Three or
 * more slashes and a leading slash or no capitals: about 0.04% of random 40-character secrets look like that,
 * while error messages quote paths all the time.
 */
function looksLikePath(run: string): boolean {
    let slashes = 0;
    for (const ch of run) if (ch === "/") slashes++;
    return slashes >= 3 && (run.startsWith("/") || !/[A-Z]/.test(run));
}
