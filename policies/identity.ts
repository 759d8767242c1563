/** no-root-credentials: the deployment itself runs as the AWS account root user. */
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { maskKeyId } from "../src/core/access-keys";
import { callerIdentity, stsRegion, type CredentialSource, type IdentityResult } from "./caller-identity";
import { boolOption, enumOption, numberOption, rawConfig, stringListOption, stringListSchema, strictSchema } from "./config";
import { guardStack, type Report } from "./guard";
import { awsProviderOf, providerKey, readProviderCredentials, shownKeyId, type ProviderCredentials } from "./provider-config";
import { isAwsResourceType } from "./resource-types";

export const NO_ROOT_CREDENTIALS = "no-root-credentials";

export const ON_UNVERIFIED = ["pass", "advisory", "mandatory"] as const;
export type OnUnverified = (typeof ON_UNVERIFIED)[number];

export const DEFAULT_TIMEOUT_MS = 3000;

export interface NoRootCredentialsConfig {
    verifyCallerIdentity: boolean;
    timeoutMs: number;
    onUnverified: OnUnverified;
    rootAccessKeyIds: string[];
    rootProfiles: string[];
}

export function readNoRootCredentialsConfig(args: { getConfig<T extends object>(): T }): NoRootCredentialsConfig {
    const c = rawConfig(args);
    return {
        verifyCallerIdentity: boolOption(c, "verifyCallerIdentity", true),
        timeoutMs: numberOption(c, "timeoutMs", DEFAULT_TIMEOUT_MS, 1, 600_000),
        onUnverified: enumOption(c, "onUnverified", ON_UNVERIFIED, "pass"),
        rootAccessKeyIds: stringListOption(c, "rootAccessKeyIds", []).map((s) => s.trim()),
        rootProfiles: stringListOption(c, "rootProfiles", []).map((s) => s.trim()),
    };
}

const FIX =
    "Fix: stop deploying as root. Delete the root user's access keys (IAM console → Security credentials, signed in as root), " +
    "deploy through an IAM Identity Center (SSO) permission set or a CI role assumed with OIDC, and keep root for the few tasks only it can do.";

/** Every distinct aws / aws-native provider the stack's resources use. */
function stackProviders(args: StackValidationArgs): ProviderCredentials[] {
    const seen = new Map<string, ProviderCredentials>();
    for (const r of args.resources) {
        const ref = awsProviderOf(r);
        if (!ref) continue;
        const key = providerKey(ref);
        if (!seen.has(key)) seen.set(key, readProviderCredentials(ref));
    }
    return [...seen.values()];
}

interface Check {
    /** "ambient" or the provider's key, matching what offlineChecks flags. */
    id: string;
    source: CredentialSource;
    /** Who, in words, for messages. Never a secret; key IDs masked. */
    label: string;
    urn?: string;
}

function checksFor(providers: ProviderCredentials[], awsResources: boolean): { checks: Check[]; unreadable: ProviderCredentials[] } {
    const checks: Check[] = [];
    const unreadable: ProviderCredentials[] = [];
    let ambient = providers.length === 0 && awsResources;
    for (const p of providers) {
        const region = stsRegion(p.region);
        if (p.hasStaticKeys) {
            if (p.accessKeyId && p.secretAccessKey) {
                const masked = shownKeyId(p.accessKeyId) ?? "(unrecognised key ID)";
                checks.push({
                    id: providerKey(p),
                    source: {
                        kind: "static",
                        accessKeyId: p.accessKeyId,
                        secretAccessKey: p.secretAccessKey,
                        sessionToken: p.sessionToken,
                        region,
                    },
                    label: `provider '${p.name}' (access key ${masked})`,
                    urn: p.urn || undefined,
                });
            } else {
                unreadable.push(p);
            }
        } else if (p.profile) {
            checks.push({
                id: providerKey(p),
                source: { kind: "profile", profile: p.profile, region },
                label: `provider '${p.name}' (profile '${p.profile}')`,
                urn: p.urn || undefined,
            });
        } else {
            ambient = true;
        }
    }
    if (ambient) {
        checks.unshift({
            id: "ambient",
            source: { kind: "ambient", region: stsRegion() },
            label: "the deployment's ambient AWS credentials (environment, profile or SSO the Pulumi CLI runs with)",
        });
    }
    return { checks, unreadable };
}

/** Reports listed root keys and profiles; returns the sources already flagged, so STS is not asked again about them. */
function offlineChecks(config: NoRootCredentialsConfig, providers: ProviderCredentials[], report: Report): Set<string> {
    const flagged = new Set<string>();
    const rootKeys = new Set(config.rootAccessKeyIds.filter((s) => s !== ""));
    const rootProfiles = new Set(config.rootProfiles.filter((s) => s !== ""));
    const envKey = process.env.AWS_ACCESS_KEY_ID?.trim();
    if (envKey && rootKeys.has(envKey)) {
        flagged.add("ambient");
        report({
            message: `The ambient credentials (AWS_ACCESS_KEY_ID ${maskKeyId(envKey)}) are listed in rootAccessKeyIds: this deployment runs as the root user.\n${FIX}`,
        });
    }
    for (const name of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]) {
        const profile = process.env[name]?.trim();
        if (profile && rootProfiles.has(profile)) {
            flagged.add("ambient");
            report({ message: `${name}='${profile}' is listed in rootProfiles: this deployment runs as the root user.\n${FIX}` });
        }
    }
    for (const p of providers) {
        if (p.accessKeyId && rootKeys.has(p.accessKeyId)) {
            flagged.add(providerKey(p));
            report({
                message: `Provider '${p.name}' uses access key ${maskKeyId(p.accessKeyId)}, listed in rootAccessKeyIds: it deploys as the root user.\n${FIX}`,
                urn: p.urn || undefined,
            });
        }
        if (p.profile && rootProfiles.has(p.profile)) {
            flagged.add(providerKey(p));
            report({
                message: `Provider '${p.name}' uses profile '${p.profile}', listed in rootProfiles: it deploys as the root user.\n${FIX}`,
                urn: p.urn || undefined,
            });
        }
    }
    return flagged;
}

function reportUnverified(config: NoRootCredentialsConfig, report: Report, label: string, reason: string, urn?: string): void {
    if (config.onUnverified === "pass") return;
    report({
        message:
            `Could not verify the identity behind ${label} (is it the root user?): ${reason}. ` +
            "Check network access to STS and the credentials, or set onUnverified to 'pass' (or verifyCallerIdentity to false) for this policy.",
        urn,
        advisory: config.onUnverified === "advisory",
    });
}

function reportResult(config: NoRootCredentialsConfig, report: Report, check: Check, result: IdentityResult): void {
    if (result.status === "unverified") {
        reportUnverified(config, report, check.label, result.reason, check.urn);
        return;
    }
    if (!result.root) return;
    report({
        message:
            `Root credentials in use: STS GetCallerIdentity for ${check.label} returned ${result.arn || result.userId}, ` +
            `the root user of AWS account ${result.account || "(unknown)"}.\n${FIX}`,
        urn: check.urn,
    });
}

export const noRootCredentials: StackValidationPolicy = {
    name: NO_ROOT_CREDENTIALS,
    displayName: "Do not deploy as the AWS root user",
    description:
        "The deployment must not run with the AWS account root user's credentials. Checks the ambient credential chain and each " +
        "aws/aws-native provider's keys or profile with STS GetCallerIdentity (once per run), and offline against listed root key IDs and profiles.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: strictSchema({
        verifyCallerIdentity: {
            type: "boolean",
            default: true,
            description: "Call STS GetCallerIdentity with the credentials the deployment uses and flag an ARN ending in ':root'.",
        },
        timeoutMs: {
            type: "integer",
            default: DEFAULT_TIMEOUT_MS,
            minimum: 1,
            maximum: 600000,
            description: "Give up on STS after this many milliseconds (then onUnverified applies).",
        },
        onUnverified: {
            type: "string",
            enum: [...ON_UNVERIFIED],
            default: "pass",
            description: "What to report when identity cannot be checked (no credentials, no network, timeout).",
        },
        rootAccessKeyIds: stringListSchema(
            [],
            "Access key IDs known to be root keys; compared with AWS_ACCESS_KEY_ID and providers' accessKey.",
        ),
        rootProfiles: stringListSchema(
            [],
            "Profile names known to hold root credentials; compared with AWS_PROFILE/AWS_DEFAULT_PROFILE and providers' profile.",
        ),
    }),
    validateStack: guardStack(NO_ROOT_CREDENTIALS, async (args, report) => {
        const config = readNoRootCredentialsConfig(args);
        const awsResources = args.resources.some((r) => typeof r.type === "string" && isAwsResourceType(r.type));
        const providers = stackProviders(args);
        if (!awsResources && providers.length === 0) return;
        const flagged = offlineChecks(config, providers, report);
        if (!config.verifyCallerIdentity) return;
        const all = checksFor(providers, awsResources);
        const checks = all.checks.filter((c) => !flagged.has(c.id));
        const unreadable = all.unreadable;
        for (const p of unreadable) {
            reportUnverified(
                config,
                report,
                `provider '${p.name}'`,
                "its access key is not known yet (preview) or not readable",
                p.urn || undefined,
            );
        }
        const results = await Promise.all(checks.map((c) => callerIdentity(c.source, config.timeoutMs)));
        checks.forEach((c, i) => reportResult(config, report, c, results[i]));
    }),
};

export const identityPolicies = [noRootCredentials];
