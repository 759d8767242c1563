/**
 * gitleaks' AWS rule, ported from config/gitleaks.toml (generated from cmd/generate/config/rules/aws.go) and
 * the detection steps in detect/detect.go at gitleaks/gitleaks b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b (MIT):
 * keyword prefilter on the lower-cased fragment, the rule regex, the first capture group as the secret,
 * entropy strictly above 3, then the global allowlist (regexes on the secret, stopwords) and the rule's
 * allowlist `.+EXAMPLE$`. gitleaks has no AWS secret-access-key rule; its generic-api-key rule is not an AWS
 * rule and is not ported. Go's RE2 `\b` and JavaScript's are both ASCII word boundaries.
 */
import { shannonEntropy, type PortedScanner } from "./types";

const KEYWORDS = ["a3t", "akia", "asia", "abia", "acca"];
const RULE = /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g;
const RULE_ALLOW = [/.+EXAMPLE$/];
// Global allowlist regexes (regexTarget: secret); Go's inline (?i:…) groups become whole-pattern flags here,
// which matches the same strings for these patterns.
const GLOBAL_ALLOW = [
    /^true|false|null$/i,
    /^(?:a+|b+|c+|d+|e+|f+|g+|h+|i+|j+|k+|l+|m+|n+|o+|p+|q+|r+|s+|t+|u+|v+|w+|x+|y+|z+|\*+|\.+)$/i,
    /^\$(?:\d+|{\d+})$/,
    /^\$(?:[A-Z_]+|[a-z_]+)$/,
    /^\${(?:[A-Z_]+|[a-z_]+)}$/,
    /^\{\{[ \t]*[\w ().|]+[ \t]*}}$/,
    /^\$\{\{[ \t]*(?:(?:env|github|secrets|vars)(?:\.[A-Za-z]\w+)+[\w "'&./=|]*)[ \t]*}}$/,
    /^%(?:[A-Z_]+|[a-z_]+)%$/,
    /^%[+\-# 0]?[bcdeEfFgGoOpqstTUvxX]$/,
    /^\{\d{0,2}}$/,
    /^@(?:[A-Z_]+|[a-z_]+)@$/,
    /^\/Users\/[a-zA-Z0-9]+\/[\w .\-/]+$/,
    /^\/(?:bin|etc|home|opt|tmp|usr|var)\/[\w ./-]+$/,
];
const STOPWORDS = ["014df517-39d1-4453-b7b3-9930c563627c", "abcdefghijklmnopqrstuvwxyz"];

export const gitleaks: PortedScanner = {
    name: "gitleaks",
    source: { repo: "gitleaks/gitleaks", path: "config/gitleaks.toml", commit: "b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b", licence: "MIT" },
    rules: "aws-access-token (the only AWS credential rule; entropy > 3, allowlist .+EXAMPLE$, global allowlist)",
    flags(text) {
        const lower = text.toLowerCase();
        if (!KEYWORDS.some((k) => lower.includes(k))) return false;
        RULE.lastIndex = 0;
        for (let m = RULE.exec(text); m; m = RULE.exec(text)) {
            const secret = m[1];
            if (shannonEntropy(secret) <= 3) continue;
            if (GLOBAL_ALLOW.some((r) => r.test(secret)) || STOPWORDS.some((w) => secret.toLowerCase().includes(w))) continue;
            if (RULE_ALLOW.some((r) => r.test(secret))) continue;
            return true;
        }
        return false;
    },
};
