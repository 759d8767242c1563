/**
 * AWS access key formats: what a key ID and a secret access key look like, which look-alikes are placeholders,
 * how to show them safely, and which AWS account a key ID belongs to. Pure functions, shared by the pack, the
 * remediator and the CLI; the scanner (credential-scan.ts) and redaction below apply the same rules.
 */

/** Prefixes of key IDs that are credentials. AIDA/AROA/AGPA/ANPA… are identifiers, never credentials. */
export const CREDENTIAL_KEY_PREFIXES = ["AKIA", "ASIA", "ABIA", "ACCA"] as const;
export type CredentialKeyPrefix = (typeof CREDENTIAL_KEY_PREFIXES)[number];

const KEY_ID_BODY = `(?:${CREDENTIAL_KEY_PREFIXES.join("|")})[A-Z2-7]{16}`;
// Boundaries keep a key ID from matching inside a longer token (a hash, a base64 blob).
const KEY_ID_IN_TEXT = `(?<![A-Za-z0-9])${KEY_ID_BODY}(?![A-Za-z0-9])`;
/**
 * What people write where a key ID goes: the credential prefixes (and the retired A3T) with 16 upper-case
 * letters or digits. Real key IDs are base32 (A–Z, 2–7); one with 0, 1, 8 or 9 is made up, yet it still says
 * the 40-character string beside it is meant as a secret key.
 */
const KEY_ID_LIKE_IN_TEXT = `(?<![A-Za-z0-9])(?:${CREDENTIAL_KEY_PREFIXES.join("|")}|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])`;
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

/** A fresh global regex for key IDs and key-ID look-alikes (see classifyKeyId). */
export function keyIdLikePattern(): RegExp {
    return new RegExp(KEY_ID_LIKE_IN_TEXT, "g");
}

const KEY_ID_PREFIX = new RegExp(CREDENTIAL_KEY_PREFIXES.join("|"));
const KEY_ID_TEST = new RegExp(KEY_ID_IN_TEXT);
const KEY_ID_LIKE_PREFIX = /AKIA|ASIA|ABIA|ACCA|A3T/;

/** Whether free text holds a key ID anywhere (no allocation: safe to call on every value of a large tree). */
export function containsKeyId(text: string): boolean {
    return text.length >= 20 && KEY_ID_PREFIX.test(text) && KEY_ID_TEST.test(text);
}

const KEY_ID_LIKE_ALL = new RegExp(KEY_ID_LIKE_IN_TEXT, "g");

/**
 * Key IDs and look-alikes in `text` with their offsets. One shared regex and a prefix pre-test: called for
 * every value of large trees, where compiling a regex per value cost more than the scan.
 */
export function keyIdsLikeIn(text: string): Array<{ id: string; index: number }> {
    if (text.length < 20 || !KEY_ID_LIKE_PREFIX.test(text)) return [];
    const out: Array<{ id: string; index: number }> = [];
    KEY_ID_LIKE_ALL.lastIndex = 0;
    for (let m = KEY_ID_LIKE_ALL.exec(text); m; m = KEY_ID_LIKE_ALL.exec(text)) out.push({ id: m[0], index: m.index });
    return out;
}

/** A fresh global regex that finds 40-character secret-key-shaped runs in free text. */
export function secretPattern(): RegExp {
    return new RegExp(SECRET_IN_TEXT, "g");
}

export function isAccessKeyId(value: string): boolean {
    return value.length === 20 && KEY_ID_EXACT.test(value);
}

/**
 * - `credential`: a key ID as AWS issues them.
 * - `example`: AWS's documentation placeholders (AKIAIOSFODNN7EXAMPLE); the pack lets them pass by default.
 * - `placeholder`: base32 and well-formed, but written by a person: a placeholder word, a run or repetition of
 *   one character or chunk, an alphabet sequence. A random key ID looks like that about once in 10^5.
 * - `look-alike`: the right prefix, but 0/1/8/9 or the retired A3T prefix: never a credential.
 */
export type KeyIdClass = "credential" | "example" | "placeholder" | "look-alike";

const PLACEHOLDER_WORDS_UPPER = /EXAMPLE|SAMPLE|TEST|FAKE|DUMMY|MOCK|DEMO|XXXX|YOUR|PLACEHOLDER|REDACTED|CHANGEME|NOTREAL/;

/**
 * The stems of the key pairs in AWS's documentation (the IAM and CLI guides). Scanners' test data and tutorials
 * change their tails (`AKIAIOSFODNN7EXAMPL3`, `…CYEXAMPL3KEY`) so that an allow-list of the exact strings cannot
 * hide their cases; the stem still says where the text came from. A key AWS issued shares a 9-character
 * body prefix with them about once in 32^9 (3·10^13), a secret its first 20 characters far more rarely.
 */
const DOC_KEY_ID_BODY_STEMS = ["IOSFODNN7"];
const DOC_SECRET_STEMS = ["wJalrXUtnFEMI/K7MDENG", "je7MtGbClwBF/2Zp9Utk"];

function copiesDocumentationKeyId(keyId: string): boolean {
    return DOC_KEY_ID_BODY_STEMS.some((stem) => keyId.startsWith(stem, 4));
}

function copiesDocumentationSecret(secret: string): boolean {
    return DOC_SECRET_STEMS.some((stem) => secret.startsWith(stem));
}

export function classifyKeyId(id: string): KeyIdClass {
    if (!isAccessKeyId(id)) return "look-alike";
    if (id.endsWith("EXAMPLE")) return "example";
    const body = id.slice(4);
    if (PLACEHOLDER_WORDS_UPPER.test(body) || isContrived(body, 5, 5)) return "placeholder";
    if (copiesDocumentationKeyId(id)) return "example";
    return "credential";
}

/**
 * A run of `run` identical characters, `seq` characters in alphabet order (ABCDE, 23456), a body that repeats
 * one chunk of up to 8 characters (DEADBEEFDEADBEEF), or fewer than 6 distinct characters.
 */
function isContrived(s: string, run: number, seq: number): boolean {
    let same = 1;
    let up = 1;
    let down = 1;
    const distinct = new Set<number>();
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        distinct.add(c);
        if (i === 0) continue;
        const p = s.charCodeAt(i - 1);
        same = c === p ? same + 1 : 1;
        up = c === p + 1 ? up + 1 : 1;
        down = c === p - 1 ? down + 1 : 1;
        if (same >= run || up >= seq || down >= seq) return true;
    }
    if (distinct.size < 6) return true;
    for (let period = 1; period <= 8 && period * 2 <= s.length; period++) {
        let repeats = true;
        for (let i = period; i < s.length && repeats; i++) repeats = s.charCodeAt(i) === s.charCodeAt(i - period);
        if (repeats) return true;
    }
    return false;
}

/** True for 40 chars of [A-Za-z0-9/+] that are not a lowercase hex digest (SHA-1, git commit). */
export function hasSecretKeyShape(value: string): boolean {
    return value.length === 40 && SECRET_EXACT.test(value) && !LOWER_HEX_40.test(value);
}

/**
 * Whether a 40-character string reads like 30 random bytes in base64, as AWS secret keys are, rather than
 * words: API names (`DescribeAggregateComplianceByConfigRules`), identifiers, paths. Measured on 10^6
 * random keys: upper and lower case (all but 10^-9), at least 12 changes between character classes
 * (upper, lower, digit, symbol; all but 0.005%), and less than 75% of the string in word-like runs
 * (`Word`, `word`, `WORD`, `2024`; all but 0.01%). CamelCase and paths fail the last two.
 */
export function looksRandomSecret(value: string): boolean {
    if (!hasSecretKeyShape(value)) return false;
    let upper = 0;
    let lower = 0;
    let changes = 0;
    let prev = -1;
    for (let i = 0; i < value.length; i++) {
        const cls = charClass(value.charCodeAt(i));
        if (cls === UPPER) upper++;
        else if (cls === LOWER) lower++;
        if (prev !== -1 && cls !== prev) changes++;
        prev = cls;
    }
    if (upper === 0 || lower === 0 || changes < 12) return false;
    return wordCoverage(value) < 0.75;
}

const UPPER = 0;
const LOWER = 1;
const DIGIT = 2;
const SYMBOL = 3;

function charClass(c: number): number {
    if (c >= 65 && c <= 90) return UPPER;
    if (c >= 97 && c <= 122) return LOWER;
    if (c >= 48 && c <= 57) return DIGIT;
    return SYMBOL;
}

const WORDISH = /[A-Z]?[a-z]{3,}|[A-Z]{4,}|[0-9]{4,}/g;

function wordCoverage(value: string): number {
    let covered = 0;
    WORDISH.lastIndex = 0;
    for (let m = WORDISH.exec(value); m; m = WORDISH.exec(value)) covered += m[0].length;
    return covered / value.length;
}

/**
 * - `secret`: reads as random base64 (looksRandomSecret) and is not base64 of text.
 * - `example`: AWS's documentation placeholder (…EXAMPLEKEY); passes by default like example key IDs.
 * - `placeholder`: a placeholder word (SAMPLEKEY, TESTKEY, FAKEKEY, yoursecret…), a run of 4 identical
 *   characters (XXXXXXKEY, aaaa…) or an alphabet sequence of 5 — about 2 in 10^4 random keys look like that.
 * - `not-secret`: words, paths, identifiers, digests, encoded text.
 */
export type SecretClass = "secret" | "example" | "placeholder" | "not-secret";

// Five letters or more in any case; four-letter words only as people type them (test, Test, TEST), since
// random base64 holds some mixed-case spelling of a given four-letter word about once in 10^5.
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|redacted|changeme|replace|notreal|secret/i;
const PLACEHOLDER_WORDS_4 = /(?:test|fake|mock|your|xxxx)|(?:Test|Fake|Mock|Your)|(?:TEST|FAKE|MOCK|YOUR)/;

export function classifySecret(value: string): SecretClass {
    if (!hasSecretKeyShape(value)) return "not-secret";
    if (/EXAMPLE/i.test(value)) return "example";
    if (PLACEHOLDER_WORDS.test(value) || PLACEHOLDER_WORDS_4.test(value) || isContrived(value, 4, 5)) return "placeholder";
    if (copiesDocumentationSecret(value)) return "example";
    if (!looksRandomSecret(value) || isEncodedText(value)) return "not-secret";
    return "secret";
}

/**
 * 40 base64 characters are 30 bytes. For a secret key they are random: all 30 printable ASCII happens with
 * probability about 10^-13. For base64-encoded text (a config line, a word list) they nearly always are.
 */
export function isEncodedText(value: string): boolean {
    const bytes = Buffer.from(value, "base64");
    let printable = 0;
    for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
    return printable >= bytes.length - 1;
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

/**
 * AWS documentation placeholders such as AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, and
 * copies of them with another tail (DOC_KEY_ID_BODY_STEMS, DOC_SECRET_STEMS).
 */
export function isExampleKeyId(keyId: string): boolean {
    return keyId.endsWith("EXAMPLE") || copiesDocumentationKeyId(keyId);
}

export function isExampleSecret(secret: string): boolean {
    return secret.endsWith("EXAMPLEKEY") || copiesDocumentationSecret(secret);
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The 12-digit AWS account a new-generation key ID belongs to, decoded offline (method published by
 * Aidan Steele and Tal Beery). Undefined for old-generation IDs, where the bits carry no account, and for
 * placeholders, whose bits are somebody's typing.
 */
export function accountIdOfKeyId(keyId: string): string | undefined {
    if (classifyKeyId(keyId) !== "credential") return undefined;
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
 * Scrubs free text (error messages, SDK responses, log lines, property names) of anything credential-shaped:
 * key IDs and look-alikes become masked, and a 40-character run disappears where the scanner would take it
 * for a secret key (random base64, not text in base64). API names, identifiers, resource names and paths
 * read like words and stay. The last line of defence, not the first: it needs no label around the secret,
 * because an error message quoting one has none.
 */
export function redactCredentials(text: string): string {
    return text
        .replace(keyIdLikePattern(), (id) => maskKeyId(id))
        .replace(secretPattern(), (s) => (classifySecret(s) === "secret" ? "[redacted secret]" : s));
}
