/**
 * Shared fixtures: settings, a fake member account whose IAM state changes as the remediator deletes
 * keys, an in-memory log, and stdout capture for the Powertools Logger.
 */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
    DeleteAccessKeyCommand,
    GenerateCredentialReportCommand,
    GetAccessKeyLastUsedCommand,
    GetAccountSummaryCommand,
    GetCredentialReportCommand,
    IAMClient,
    IAMServiceException,
    ListAccessKeysCommand,
    NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRootCommand, STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { SQSEvent } from "aws-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { createClients } from "../../src/remediator/clients";
import type { InvocationResult } from "../../src/remediator/run";
import type { Log, LogAttributes } from "../../src/remediator/log";
import type { MetricName, RunMetrics } from "../../src/remediator/metrics";
import { dynamoDbOnce, noOnce } from "../../src/remediator/once";
import type { InvocationContext, RemediatorDeps } from "../../src/remediator/run";
import type { Settings } from "../../src/remediator/settings";
import { fakeDynamoDb, type FakeTable } from "./fakes/dynamodb";
import { ROOT_ACCESS_KEY_RULE } from "../../src/core/aws-facts";

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
export const QUEUE_URL = `https://sqs.eu-west-1.amazonaws.com/${SELF}/rootguard-remediator-work`;

export function settings(overrides: Partial<Settings> = {}): Settings {
    return {
        mode: "organization",
        action: "notify",
        unusedDays: 45,
        dryRun: false,
        topicArn: TOPIC,
        ruleNames: [ROOT_ACCESS_KEY_RULE.defaultName],
        aggregatorName: "org-aggregator",
        queueUrl: QUEUE_URL,
        idempotencyTable: "rootguard-remediator-idempotency",
        maxReceiveCount: 3,
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

/** Sums per metric name, across flushes; `flushes` counts published invocations. */
export function memoryMetrics(): RunMetrics & { totals: Partial<Record<MetricName, number>>; flushes: number } {
    const m = {
        totals: {} as Partial<Record<MetricName, number>>,
        flushes: 0,
        count(name: MetricName, value: number) {
            m.totals[name] = (m.totals[name] ?? 0) + value;
        },
        flush() {
            m.flushes++;
        },
    };
    return m;
}

/**
 * One Lambda container's dependencies. With `settings.idempotencyTable` set, the real Powertools Idempotency runs
 * against the DynamoDB client, which `awsMocks()` answers with the in-memory table.
 */
export function deps(s: Settings, log: Log = memoryLog()): RemediatorDeps & { metrics: ReturnType<typeof memoryMetrics> } {
    const clients = createClients({ region: s.region, retryStrategy: fastRetry() });
    return {
        settings: s,
        clients,
        log,
        now: () => NOW,
        polling: { sleep: async () => undefined, pollMs: 0 },
        metrics: memoryMetrics(),
        once: s.idempotencyTable ? dynamoDbOnce(s.idempotencyTable, clients.dynamodb) : noOnce,
    };
}

/** The result of a direct (non-SQS) invocation. */
export const direct = (r: unknown): InvocationResult => r as InvocationResult;

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
        sqs: mockClient(SQSClient),
        dynamodb: mockClient(DynamoDBClient),
    };
    m.sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    m.sts.on(AssumeRootCommand).resolves({ Credentials: SESSION });
    const table: FakeTable = fakeDynamoDb(m.dynamodb);
    return {
        ...m,
        table,
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

/** The IAM credential report's header row, as IAM writes it. */
export const CREDENTIAL_REPORT_HEADER =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
    "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
    "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/**
 * The `<root_account>` row; `key1`/`key2` are the five access_key_N_ columns (active, last_rotated,
 * last_used_date, last_used_region, last_used_service).
 */
export function rootRow(key1: string, key2 = "false,N/A,N/A,N/A,N/A", account = SELF): string {
    return `<root_account>,arn:aws:iam::${account}:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,${key1},${key2},false,N/A,false,N/A`;
}

/** A whole credential report: the header and the root row. */
export function credentialReportCsv(key1: string, opts: { key2?: string; account?: string } = {}): string {
    return `${CREDENTIAL_REPORT_HEADER}\n${rootRow(key1, opts.key2, opts.account)}\n`;
}

/**
 * The caller's own account as the credential report path sees it: GetAccountSummary's
 * AccountAccessKeysPresent, GenerateCredentialReport (after `pendingStates`, COMPLETE) and
 * GetCredentialReport (after one CredentialReportNotReadyException when `notReadyOnce`, `csv`).
 */
export function mockCredentialReport(
    iam: AwsClientStub<IAMClient>,
    csv: string,
    opts: { keysPresent: number; generatedAt?: Date; pendingStates?: ("STARTED" | "INPROGRESS")[]; notReadyOnce?: boolean },
): void {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountAccessKeysPresent: opts.keysPresent } });
    let generate = iam.on(GenerateCredentialReportCommand);
    for (const State of opts.pendingStates ?? []) generate = generate.resolvesOnce({ State });
    generate.resolves({ State: "COMPLETE" });
    let get = iam.on(GetCredentialReportCommand);
    if (opts.notReadyOnce) {
        get = get.rejectsOnce(
            new IAMServiceException({ name: "CredentialReportNotReadyException", $fault: "client", message: "not ready", $metadata: {} }),
        );
    }
    get.resolves({ Content: Buffer.from(csv), ...(opts.generatedAt ? { GeneratedTime: opts.generatedAt } : {}) });
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

export function complianceEvent(
    accountId: string,
    complianceType = "NON_COMPLIANT",
    id = `evt-${accountId}-${complianceType}`,
    time = NOW.toISOString(),
) {
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
            configRuleName: "rootguard-iam-root-access-key-check",
            resourceType: "AWS::::Account",
            messageType: "ComplianceChangeNotification",
            newEvaluationResult: { complianceType },
        },
    };
}

/** An SQS event as the event source mapping delivers it (aws-lambda's SQSEvent shape). */
export function sqsEvent(bodies: string[], opts: { receiveCount?: number; ids?: string[] } = {}): SQSEvent {
    return {
        Records: bodies.map((body, i) => ({
            messageId: opts.ids?.[i] ?? `msg-${i}`,
            receiptHandle: `rh-${i}`,
            body,
            attributes: {
                ApproximateReceiveCount: String(opts.receiveCount ?? 1),
                SentTimestamp: String(NOW.getTime()),
                SenderId: "AIDAEXAMPLE",
                ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
            },
            messageAttributes: {},
            md5OfBody: "",
            eventSource: "aws:sqs",
            eventSourceARN: `arn:aws:sqs:eu-west-1:${SELF}:rootguard-remediator-work`,
            awsRegion: "eu-west-1",
        })),
    };
}
