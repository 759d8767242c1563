/**
 * Who a set of AWS credentials belongs to, asked of STS GetCallerIdentity at most once per credential
 * source per pack process. The AWS SDK is loaded only on the first call: a pack that never verifies
 * identity (or runs against a stack without AWS resources) starts as fast as a trivial pack.
 *
 * It never hangs: a hard timer (unref'd, so it keeps nothing alive) races the call, the SDK makes a
 * single attempt with connection and request timeouts, and the request is aborted when the timer wins.
 * The SDK honours AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL by itself, which is how tests point it at a
 * loopback STS.
 */
import { quietSdkNodeVersionWarning } from "../src/core/sdk-warnings";
import type { STSClientConfig } from "@aws-sdk/client-sts";
import { redactCredentials } from "../src/core/access-keys";

export type CredentialSource =
    | { kind: "ambient"; region: string }
    | { kind: "static"; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string }
    | { kind: "profile"; profile: string; region: string };

export type IdentityResult =
    { status: "verified"; arn: string; account: string; userId: string; root: boolean } | { status: "unverified"; reason: string };

export const DEFAULT_REGION = "us-east-1";

/** Region for a call: the provider's, else the environment's, else us-east-1. */
export function stsRegion(providerRegion?: string, env: NodeJS.ProcessEnv = process.env): string {
    return providerRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
}

/** Identity of a source for caching. Holds a key ID in memory only; never printed. */
function sourceKey(source: CredentialSource): string {
    switch (source.kind) {
        case "ambient":
            return "ambient";
        case "static":
            return `static:${source.accessKeyId}:${source.sessionToken ? "session" : "long-term"}`;
        case "profile":
            return `profile:${source.profile}`;
    }
}

const cache = new Map<string, Promise<IdentityResult>>();

/** For tests: forget earlier answers (the environment changes between tests, not within a run). */
export function resetCallerIdentityCache(): void {
    cache.clear();
}

/** The root user's ARN ends in `:root`; its UserId is the account ID itself. */
export function isRootIdentity(arn: string | undefined, userId: string | undefined, account: string | undefined): boolean {
    return (arn !== undefined && arn.endsWith(":root")) || (!!account && userId === account);
}

export function callerIdentity(source: CredentialSource, timeoutMs: number): Promise<IdentityResult> {
    const key = sourceKey(source);
    let pending = cache.get(key);
    if (!pending) {
        pending = lookup(source, timeoutMs);
        cache.set(key, pending);
    }
    return pending;
}

async function lookup(source: CredentialSource, timeoutMs: number): Promise<IdentityResult> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<IdentityResult>((resolve) => {
        timer = setTimeout(() => {
            controller.abort();
            resolve({ status: "unverified", reason: `STS did not answer within ${timeoutMs} ms` });
        }, timeoutMs);
        timer.unref();
    });
    try {
        return await Promise.race([ask(source, timeoutMs, controller.signal), timeout]);
    } finally {
        clearTimeout(timer);
    }
}

function describe(e: unknown): string {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    // SDK messages may quote configuration fragments; keep the gist, drop anything credential-shaped.
    return redactCredentials(text.split("\n")[0].slice(0, 300));
}

async function ask(source: CredentialSource, timeoutMs: number, abortSignal: AbortSignal): Promise<IdentityResult> {
    try {
        quietSdkNodeVersionWarning();
        const sts = await import("@aws-sdk/client-sts");
        const config: STSClientConfig = {
            region: source.region,
            maxAttempts: 1,
            requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
        };
        if (source.kind === "static") {
            config.credentials = {
                accessKeyId: source.accessKeyId,
                secretAccessKey: source.secretAccessKey,
                sessionToken: source.sessionToken,
            };
        } else if (source.kind === "profile") {
            config.profile = source.profile;
        }
        const client = new sts.STSClient(config);
        try {
            const out = await client.send(new sts.GetCallerIdentityCommand({}), { abortSignal });
            const arn = out.Arn ?? "";
            return {
                status: "verified",
                arn,
                account: out.Account ?? "",
                userId: out.UserId ?? "",
                root: isRootIdentity(out.Arn, out.UserId, out.Account),
            };
        } finally {
            client.destroy();
        }
    } catch (e) {
        return { status: "unverified", reason: describe(e) };
    }
}
