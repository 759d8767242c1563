/** aws-provider-static-credentials: aws / aws-native providers configured with access keys. */
import { strictSchema } from "./config";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { guardResource } from "./guard";
import { awsProviderOf, providerKey, readProviderCredentials, shownKeyId, type ProviderCredentials } from "./provider-config";
import { AWS_NATIVE_PROVIDER } from "./resource-types";

export const AWS_PROVIDER_STATIC_CREDENTIALS = "aws-provider-static-credentials";

/**
 * Provider URNs already reported in this pack process. Every resource carries its provider, so without
 * this a stack of 500 resources would print the same finding 500 times.
 */
const reported = new Set<string>();

/** For tests: forget what was reported. */
export function resetReportedProviders(): void {
    reported.clear();
}

export function staticCredentialsMessage(p: ProviderCredentials): string {
    const masked = shownKeyId(p.accessKeyId);
    const keyText = masked ? `access key ${masked}` : "an access key (value not readable here)";
    const config = p.type === AWS_NATIVE_PROVIDER ? "aws-native" : "aws";
    return [
        `Provider '${p.name}' (${p.type}) is configured with static credentials: ${keyText} in accessKey/secretKey.`,
        "Long-term access keys may belong to the root user, and nothing offline can prove they do not; keys in " +
            "provider config also land in the stack's state and config.",
        `Fix: remove accessKey/secretKey from the provider (and \`${config}:accessKey\`/\`${config}:secretKey\` from stack config). ` +
            `Deploy with short-lived credentials instead: OIDC from CI, IAM Identity Center (SSO) through \`${config}:profile\`, ` +
            "an assumeRole on the provider, or credentials supplied in the environment at deploy time (AWS_PROFILE, AWS_ACCESS_KEY_ID…).",
    ].join("\n");
}

export const awsProviderStaticCredentials: ResourceValidationPolicy = {
    name: AWS_PROVIDER_STATIC_CREDENTIALS,
    displayName: "AWS providers without static credentials",
    description:
        "aws and aws-native providers (explicit or default) must not be configured with static accessKey/secretKey: " +
        "long-term keys may be root keys. Reported once per provider.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: strictSchema({}),
    validateResource: guardResource(AWS_PROVIDER_STATIC_CREDENTIALS, (args, report) => {
        const ref = awsProviderOf(args);
        if (!ref) return;
        const creds = readProviderCredentials(ref);
        if (!creds.hasStaticKeys) return;
        const key = providerKey(creds);
        if (reported.has(key)) return;
        reported.add(key);
        report({ message: staticCredentialsMessage(creds) });
    }),
};

export const providerPolicies = [awsProviderStaticCredentials];
