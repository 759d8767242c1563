/**
 * Shared fixtures: settings, a fake member account whose IAM state changes as the remediator deletes
 * keys, an in-memory log, and stdout capture for the Powertools Logger.
 */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import {
    DeleteAccessKeyCommand,
    GetAccessKeyLastUsedCommand,
    IAMClient,
    ListAccessKeysCommand,
    NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AssumeRootCommand, STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { mockClient } from "aws-sdk-client-mock";
import { createClients } from "../../src/remediator/clients";
import type { Log, LogAttributes } from "../../src/remediator/log";
import { RecentIds, type InvocationContext, type RemediatorDeps } from "../../src/remediator/run";
import type { Settings } from "../../src/remediator/settings";

export const NOW = new Date("2026-11-22T12:00:00Z");
export const DAY = 86_400_000;
export const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY);

export const SELF = "999999999999";
export const MEMBER = "111111111111";
export const KEY_ONE = "AKIAZ7ROOTKEYONE2345";
export const KEY_TWO = "AKIAZ7ROOTKEYTWO2346";
export const SESSION = {
    AccessKeyId: "ASIAZ7SESSIONKEY2345",
    SecretAccessKey: "wJalrXUtnFEMIK7MDENGbPxRfiCYzz3Sess10nKy",
    SessionToken: "session-token",
    Expiration: new Date(NOW.getTime() + 900_000),
};
export const TOPIC = `arn:aws:sns:eu-west-1:${SELF}:rootguard`;

export function settings(overrides: Partial<Settings> = {}): Settings {
    return {
        mode: "organization",
        action: "notify",
        unusedDays: 45,
        dryRun: false,
        topicArn: TOPIC,
        ruleNames: ["iam-root-access-key-check"],
        aggregatorName: "org-aggregator",
        concurrency: 5,
        safetyMarginMs: 30_000,
        maxAttempts: 3,
        region: "eu-west-1",
        partition: "aws",
        ...overrides,
    };
}

export interface LogEntry {
    level: string;
    message: string;
    attributes?: LogAttributes;
}

export function memoryLog(): Log & { entries: LogEntry[] } {
    const entries: LogEntry[] = [];
    const at = (level: string) => (message: string, attributes?: LogAttributes) => {
        entries.push({ level, message, attributes });
    };
    return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Fast retries so throttling tests exercise the real retry path without waiting. */
export const fastRetry = () => new ConfiguredRetryStrategy(4, () => 1);

export function deps(s: Settings, log: Log = memoryLog()): RemediatorDeps {
    return {
        settings: s,
        clients: createClients({ region: s.region, retryStrategy: fastRetry() }),
        log,
        now: () => NOW,
        polling: { sleep: async () => undefined, pollMs: 0 },
        seenEventIds: new RecentIds(),
    };
}

export function lambdaContext(remainingMs: () => number = () => 600_000, account = SELF): InvocationContext {
    return {
        getRemainingTimeInMillis: remainingMs,
        invokedFunctionArn: `arn:aws:lambda:eu-west-1:${account}:function:rootguard-remediator`,
    };
}

export interface FakeKey {
    id: string;
    status?: "Active" | "Inactive";
    created: Date;
    lastUsed?: { date: Date; service: string; region: string };
}

export function awsMocks() {
    const m = {
        sts: mockClient(STSClient),
        iam: mockClient(IAMClient),
        sns: mockClient(SNSClient),
        config: mockClient(ConfigServiceClient),
    };
    m.sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    m.sts.on(AssumeRootCommand).resolves({ Credentials: SESSION });
    return {
        ...m,
        restore() {
            for (const x of Object.values(m)) x.restore();
        },
    };
}

export type Mocks = ReturnType<typeof awsMocks>;

/** A member account whose root keys really disappear when deleted, so verification sees the change. */
export function fakeAccount(mocks: Mocks, keys: FakeKey[]): { keys: Map<string, FakeKey> } {
    const state = new Map(keys.map((k) => [k.id, k]));
    mocks.iam.on(ListAccessKeysCommand).callsFake(async () => ({
        AccessKeyMetadata: [...state.values()].map((k) => ({ AccessKeyId: k.id, Status: k.status ?? "Active", CreateDate: k.created })),
        IsTruncated: false,
    }));
    mocks.iam.on(GetAccessKeyLastUsedCommand).callsFake(async (input: { AccessKeyId: string }) => {
        const k = state.get(input.AccessKeyId);
        if (!k) throw new NoSuchEntityException({ message: "The Access Key with id x cannot be found", $metadata: {} });
        return {
            AccessKeyLastUsed: k.lastUsed
                ? { LastUsedDate: k.lastUsed.date, ServiceName: k.lastUsed.service, Region: k.lastUsed.region }
                : { ServiceName: "N/A", Region: "N/A" },
        };
    });
    mocks.iam.on(DeleteAccessKeyCommand).callsFake(async (input: { AccessKeyId: string }) => {
        if (!state.delete(input.AccessKeyId)) {
            throw new NoSuchEntityException({ message: `The Access Key with id ${input.AccessKeyId} cannot be found.`, $metadata: {} });
        }
        return {};
    });
    return { keys: state };
}

export function publishedMessages(mocks: Mocks): { subject: string; message: string; attributes: Record<string, string> }[] {
    return mocks.sns.commandCalls(PublishCommand).map((c) => ({
        subject: c.args[0].input.Subject ?? "",
        message: c.args[0].input.Message ?? "",
        attributes: Object.fromEntries(Object.entries(c.args[0].input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""])),
    }));
}

/** The JSON block of a notification. */
export function jsonBlock(message: string): any {
    const i = message.indexOf("--- rootguard JSON ---");
    if (i < 0) throw new Error("no JSON block");
    return JSON.parse(message.slice(i + "--- rootguard JSON ---".length));
}

/** Everything written to stdout and stderr while `fn` runs (Powertools Logger: INFO to stdout, WARN/ERROR to stderr). */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
    const chunks: string[] = [];
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((s) => s.write);
    for (const stream of streams) {
        (stream as any).write = (chunk: any, ...rest: any[]) => {
            chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
            const cb = rest.find((r) => typeof r === "function");
            if (cb) cb();
            return true;
        };
    }
    try {
        const result = await fn();
        return { result, output: chunks.join("") };
    } finally {
        streams.forEach((s, i) => ((s as any).write = originals[i]));
    }
}

export function complianceEvent(accountId: string, complianceType = "NON_COMPLIANT", id = `evt-${accountId}-${complianceType}`, time = NOW.toISOString()) {
    return {
        version: "0",
        id,
        "detail-type": "Config Rules Compliance Change",
        source: "aws.config",
        account: accountId,
        time,
        region: "eu-west-1",
        resources: [],
        detail: {
            resourceId: accountId,
            awsRegion: "eu-west-1",
            awsAccountId: accountId,
            configRuleName: "iam-root-access-key-check",
            resourceType: "AWS::::Account",
            messageType: "ComplianceChangeNotification",
            newEvaluationResult: { complianceType },
        },
    };
}
