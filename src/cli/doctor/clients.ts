/**
 * The AWS SDK clients doctor talks through, built from the shared client config (real connection and request
 * timeouts), created on first use and destroyed at the end so no open socket keeps the process alive.
 * The standard credential chain and AWS_ENDPOINT_URL_<SERVICE> decide where requests go.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig } from "../../aws/client-config";
import { observeCalls, type CallObserver, type ObservableClient } from "../../aws/observe";

export interface DoctorClients {
    sts(): STSClient;
    iam(): IAMClient;
    organizations(): OrganizationsClient;
    config(): ConfigServiceClient;
    lambda(): LambdaClient;
    /** A trail's status and selectors are read in its home region. */
    cloudtrail(region: string): CloudTrailClient;
    destroy(): void;
}

export interface ClientSettings {
    region: string;
    profile?: string;
    connectionTimeoutMs: number;
    requestTimeoutMs: number;
    maxAttempts: number;
    /** Hears of requests AWS has not answered for a while; every client also tags failures with the endpoint. */
    observer?: CallObserver;
}

interface Destroyable {
    destroy(): void;
}

export function sdkClients(settings: ClientSettings): DoctorClients {
    const made = new Map<string, Destroyable>();
    const config = (region: string) => ({
        ...awsClientConfig({
            region,
            maxAttempts: settings.maxAttempts,
            connectionTimeoutMs: settings.connectionTimeoutMs,
            requestTimeoutMs: settings.requestTimeoutMs,
        }),
        ...(settings.profile ? { profile: settings.profile } : {}),
    });
    function once<T extends Destroyable & ObservableClient>(key: string, make: () => T): T {
        let client = made.get(key) as T | undefined;
        if (!client) {
            client = observeCalls(make(), settings.observer);
            made.set(key, client);
        }
        return client;
    }
    const region = settings.region;
    return {
        sts: () => once("sts", () => new STSClient(config(region))),
        iam: () => once("iam", () => new IAMClient(config(region))),
        organizations: () => once("organizations", () => new OrganizationsClient(config(region))),
        config: () => once("config", () => new ConfigServiceClient(config(region))),
        lambda: () => once("lambda", () => new LambdaClient(config(region))),
        cloudtrail: (home) => once(`cloudtrail:${home}`, () => new CloudTrailClient(config(home))),
        destroy: () => {
            for (const client of made.values()) client.destroy();
            made.clear();
        },
    };
}
