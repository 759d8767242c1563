/** The repository root is the real pack (its `main` is compiled JavaScript: see tests/build.ts). */

export const ROOTGUARD_POLICIES = [
    ["no-hardcoded-aws-credentials", "mandatory"],
    ["aws-provider-static-credentials", "mandatory"],
    ["no-root-credentials", "mandatory"],
    ["no-root-access-key-resource", "mandatory"],
    ["restrict-assume-root", "mandatory"],
    ["root-key-check-coverage", "mandatory"],
    ["scp-root-deny-exempts-assume-root", "advisory"],
] as const;
