/**
 * detect-secrets' AWSKeyDetector with its default filters, ported from detect_secrets/plugins/aws.py,
 * detect_secrets/filters/heuristic.py, detect_secrets/filters/allowlist.py, detect_secrets/core/scan.py and
 * detect_secrets/settings.py at Yelp/detect-secrets 5e141933554a0b74e7341841f318be21e895339c (Apache-2.0).
 * Line by line (rstrip), as scan.py does: line filters (allowlist pragma, indirect reference), the two denylist
 * regexes with findall semantics, then the secret filters (sequential string, UUID, templated, $-prefixed, not
 * alphanumeric). is_likely_id_string does not apply to regex-based detectors; the file-name filters do not
 * apply to text. Verification (a call to AWS) is not ported: it only adds a verified flag to a finding.
 */
import type { PortedScanner } from "./types";

const SECRET_KEYWORD = "(?:key|pwd|pw|password|pass|token)";
const DENYLIST: RegExp[] = [
    /(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}/g,
    new RegExp(`aws.{0,20}?${SECRET_KEYWORD}.{0,20}?['"]([0-9a-zA-Z/+]{40})['"]`, "gi"),
];

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const HEX_UPPER = "0123456789abcdefABCDEF".toUpperCase();
const SEQUENCES = [
    UPPER + UPPER + DIGITS + "+/",
    DIGITS + UPPER + UPPER + "+/",
    (DIGITS + UPPER).repeat(2),
    DIGITS.repeat(2),
    HEX_UPPER + HEX_UPPER,
    UPPER + "=/",
];
const UUID = /[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}/i;
const INDIRECT_REFERENCE = /([^\v=!:]*)\s*(:=?|[!=]{1,3})\s*([\w.-]+[[(][^\v]*[\])])/;
// allowlist.py: `pragma: allowlist secret` after any comment marker (the same-line form).
const ALLOWLIST = /(?:#|\/\/|\/\*|'|--|<!--|;)[ \t]*pragma: ?(?:allow|white)list[ -]secret/;

function filteredSecret(secret: string): boolean {
    const upper = secret.toUpperCase();
    if (SEQUENCES.some((s) => s.includes(upper))) return true;
    if (UUID.test(secret)) return true;
    if (secret.length < 2 || (secret[0] === "{" && secret.at(-1) === "}") || (secret[0] === "<" && secret.at(-1) === ">")) return true;
    if (secret[0] === "$" && secret[1] === "{" && secret.at(-1) === "}") return true;
    if (secret[0] === "$") return true;
    if (!/[A-Za-z]/.test(secret)) return true;
    return false;
}

function findall(re: RegExp, line: string): string[] {
    const out: string[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
        out.push(m.length > 1 ? (m.slice(1).find((g) => g) ?? "") : m[0]);
        if (m[0] === "") re.lastIndex++;
    }
    return out.filter((s) => s !== "");
}

export const detectSecrets: PortedScanner = {
    name: "detect-secrets",
    source: {
        repo: "Yelp/detect-secrets",
        path: "detect_secrets/plugins/aws.py",
        commit: "5e141933554a0b74e7341841f318be21e895339c",
        licence: "Apache-2.0",
    },
    rules: "AWSKeyDetector (key ID and aws…key/token secret regexes) with the default filters",
    flags(text) {
        for (const raw of text.split(/\r?\n/)) {
            const line = raw.trimEnd();
            if (ALLOWLIST.test(line)) continue;
            if (line.length <= 1000 && INDIRECT_REFERENCE.test(line)) continue;
            for (const re of DENYLIST) if (findall(re, line).some((s) => !filteredSecret(s))) return true;
        }
        return false;
    },
};
