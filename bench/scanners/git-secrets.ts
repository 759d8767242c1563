/**
 * git-secrets' AWS patterns, ported from `register_aws` in the git-secrets script at awslabs/git-secrets
 * 7d6b970cbd3c216353cb22b383b70c150140662e (Apache-2.0): the prohibited key-ID, secret-key and account-ID
 * patterns (POSIX ERE, matched per line as `git grep -E` does) and the allowed patterns, which drop any matching
 * line that also matches one of them. The Bedrock API-key patterns registered beside them are not AWS access
 * keys and are left out; the `--aws-provider` (secrets read from ~/.aws/credentials) has nothing to read here.
 */
import type { PortedScanner } from "./types";

const AWS = "(AWS|aws|Aws)?_?";
const QUOTE = `("|')`;
const CONNECT = "\\s*(:|=>|=)\\s*";
const OPT_QUOTE = `${QUOTE}?`;
const PROHIBITED = [
    /(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}/,
    new RegExp(
        `${OPT_QUOTE}${AWS}(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)${OPT_QUOTE}${CONNECT}${OPT_QUOTE}[A-Za-z0-9/+=]{40}${OPT_QUOTE}`,
    ),
    new RegExp(
        `${OPT_QUOTE}${AWS}(ACCOUNT|account|Account)_?(ID|id|Id)?${OPT_QUOTE}${CONNECT}${OPT_QUOTE}[0-9]{4}-?[0-9]{4}-?[0-9]{4}${OPT_QUOTE}`,
    ),
];
const ALLOWED = [/AKIAIOSFODNN7EXAMPLE/, /wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY/];

export const gitSecrets: PortedScanner = {
    name: "git-secrets",
    source: { repo: "awslabs/git-secrets", path: "git-secrets", commit: "7d6b970cbd3c216353cb22b383b70c150140662e", licence: "Apache-2.0" },
    rules: "--register-aws: key ID, secret key and account ID patterns, with the two allowed documentation keys",
    flags(text) {
        return text.split(/\r?\n/).some((line) => PROHIBITED.some((re) => re.test(line)) && !ALLOWED.some((re) => re.test(line)));
    },
};
