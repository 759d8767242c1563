/**
 * Nosey Parker's AWS credential rules, ported from crates/noseyparker/data/default/builtin/rules/aws.yml at
 * praetorian-inc/noseyparker 2e6e7f36ce36619852532bbe698d8cb7a26d2da7 (Apache-2.0): np.aws.1 (API key),
 * np.aws.2 (secret access key), np.aws.4 (session token) and np.aws.6 (API key followed by a secret), matched
 * over the whole text as Nosey Parker scans blobs. `(?x)` whitespace is removed, `(?s).` becomes `[\s\S]`, and
 * Rust's Unicode `\b` is the ASCII one for this ASCII corpus. Left out: account IDs, S3 buckets, ARNs, AppSync
 * and MWS tokens (identifiers or other services, not AWS access keys).
 */
import type { PortedScanner } from "./types";

const RULES = [
    /\b((?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16})\b/,
    /\baws_?(?:secret)?_?(?:access)?_?(?:key)?["']?\s{0,30}(?::|=>|=)\s{0,30}["']?([a-z0-9/+=]{40})(?:[^a-z0-9/+=]|$)/i,
    /(?:aws.?session|aws.?session.?token|aws.?token)["'`]?\s{0,30}(?::|=>|=)\s{0,30}["'`]?([a-z0-9/+=]{16,200})[^a-z0-9/+=]/i,
    /\b((?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16})\b(?:[\s\S]{0,40})\b([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)/,
];

export const noseyParker: PortedScanner = {
    name: "Nosey Parker",
    source: {
        repo: "praetorian-inc/noseyparker",
        path: "crates/noseyparker/data/default/builtin/rules/aws.yml",
        commit: "2e6e7f36ce36619852532bbe698d8cb7a26d2da7",
        licence: "Apache-2.0",
    },
    rules: "np.aws.1, np.aws.2, np.aws.4, np.aws.6",
    flags(text) {
        return RULES.some((re) => re.test(text));
    },
};
