/**
 * One reconcile cycle of an organization, driving the real handler (src/remediator/handler.ts → run → reconcile →
 * worker → process-account → inventory/act/notify, Powertools Batch and Idempotency) in virtual time:
 * - the schedule invokes the reconcile (optionally twice: EventBridge redelivering the same tick);
 * - a fake SQS queue with redrive and an event source mapping (./fake-sqs.ts) invoke the same handler with batches,
 *   at most `concurrency` at once, each invocation in its own Lambda container (its own deps, cold start once);
 * - STS goes through the real SDK client (protocol, retry strategy) to an in-process endpoint that throttles
 *   AssumeRoot beyond a token bucket; IAM, SNS, Config, SQS and DynamoDB are aws-sdk-client-mock fakes with state
 *   (keys disappear when deleted; the DynamoDB fake applies Powertools' conditional writes).
 * Every modelled AWS call costs virtual latency (ASSUMED_LATENCY_MS): figures derived from it are a model, and the
 * docs say so. What is counted (calls, messages, request units, GB-s) is what the code really did.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Readable } from "node:stream";
import { DescribeAggregateComplianceByConfigRulesCommand, ConfigServiceClient } from "@aws-sdk/client-config-service";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
    DeleteAccessKeyCommand,
    GetAccessKeyLastUsedCommand,
    IAMClient,
    ListAccessKeysCommand,
    NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { SQSBatchResponse } from "aws-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { ROOT_ACCESS_KEY_RULE } from "../../../src/core/aws-facts";
import { createClients } from "../../../src/remediator/clients";
import type { RemediationAction } from "../../../src/remediator/contract";
import { createHandler } from "../../../src/remediator/handler";
import type { Log, LogAttributes } from "../../../src/remediator/log";
import { dynamoDbOnce, noOnce } from "../../../src/remediator/once";
import type { RemediatorDeps } from "../../../src/remediator/run";
import { fakeDynamoDb, type FakeTable } from "../fakes/dynamodb";
import { DAY, NOW, QUEUE_URL, SELF, memoryMetrics, settings } from "../helpers";
import { FakeQueue, settleBatch, sqsEventOf, type SqsCounts } from "./fake-sqs";
import { Tasks, VirtualClock } from "./virtual-time";

/** Latencies the model assumes per call (ms); not measured against AWS, and documented as such in docs/remediator.md. */
export const ASSUMED_LATENCY_MS = {
    assumeRoot: 120,
    listAccessKeys: 90,
    getAccessKeyLastUsed: 80,
    deleteAccessKey: 100,
    publish: 40,
    dynamodb: 8,
    sendMessageBatch: 25,
    describeAggregatePage: 400,
    /** Lambda's own overhead per invocation (runtime API, batch handling). */
    invocation: 15,
    /** Init of a new container: runtime start plus the bundle's cold require (bench row remediator.cold-require). */
    coldStart: 250,
};
export type LatencyModel = typeof ASSUMED_LATENCY_MS;

export interface SimOptions {
    /** Member accounts in the organization. */
    accounts: number;
    /** Every n-th account has a root access key (NON_COMPLIANT for the access-key rule); 1: all of them. */
    nonCompliantEvery: number;
    /** Every n-th account fails only the root MFA rule: it must not be enqueued. */
    mfaOnlyEvery?: number;
    action: RemediationAction;
    concurrency: number;
    batchSize: number;
    maxReceiveCount: number;
    timeoutSeconds: number;
    memoryMb: number;
    latency?: LatencyModel;
    /** AssumeRoot beyond this token bucket answers Throttling. */
    assumeRootRate?: { perSecond: number; burst: number };
    /** Every n-th enqueued message is delivered twice (SQS at-least-once). */
    duplicateEvery?: number;
    /** Accounts whose AssumeRoot always answers Throttling: they must end in the dead-letter queue, reported. */
    poisonAccounts?: string[];
    /** How often the schedule's tick is delivered (EventBridge retries deliver the same cycle again). */
    reconcileDeliveries?: number;
    /** SDK attempts per STS call (production: 5, adaptive). */
    sdkAttempts?: number;
    /** False: no idempotency table (shows what the idempotency prevents). Default true. */
    idempotency?: boolean;
}

export interface SimResult {
    nonCompliant: string[];
    mfaOnly: string[];
    /** Accounts whose root keys were listed in an audit session. */
    inventoried: Set<string>;
    /** Notifications per account (by the accountId attribute) and their statuses. */
    notifications: Map<string, string[]>;
    deadLetters: { messageId: string; body: string; receiveCount: number }[];
    keysDeleted: number;
    keysLeft: number;
    /** Two invocations working on the same account at the same time. */
    overlaps: { accountId: string; at: number }[];
    maxConcurrentInvocations: number;
    assumeRoot: { calls: number; throttled: number; sessions: number };
    lambda: { invocations: number; coldStarts: number; billedMs: number; gbSeconds: number; reconcileMs: number };
    sqs: SqsCounts & { longPolls: number };
    dynamodb: { writeUnits: number; readUnits: number; requests: FakeTable["requests"] };
    sns: { publishes: number };
    config: { pages: number };
    logBytes: number;
    emfLines: number;
    metrics: Partial<Record<string, number>>;
    /** Virtual ms from the schedule's tick to the last account done, and to the queue empty (dead letters included). */
    lastAccountDoneMs: number;
    cycleMs: number;
    /** Real ms the simulation took on this machine. */
    wallMs: number;
}

export const accountIdOf = (i: number): string => String(100000000000 + i);
const ORG_RULE = `OrgConfigRule-${ROOT_ACCESS_KEY_RULE.defaultName}-a1b2c3d4`;
const MFA_RULE = "OrgConfigRule-rootguard-root-account-mfa-enabled-e5f6a7b8";
const QUEUE_ARN = `arn:aws:sqs:eu-west-1:${SELF}:rootguard-remediator-work`;
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${SELF}:function:rootguard-remediator`;
/** Lambda's SQS event source polls with five long-polling connections at least (20 s each) while it waits. */
const POLLERS = 5;
const LONG_POLL_MS = 20_000;

interface Key {
    id: string;
    created: Date;
    lastUsed?: { date: Date; service: string; region: string };
}

/** A root access key ID for account i: 20 characters, unique, masked to AKIA****<last 4> in every output. */
function keyIdOf(i: number): string {
    return `AKIAZ7${i.toString(32).toUpperCase().padStart(10, "A")}ROOT`.slice(0, 20);
}

const xml = (op: string, body: string) =>
    `<${op}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${op}Result>${body}</${op}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${op}Response>`;
const THROTTLING = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>`;

/** The production SDK's backoff before attempt n (base 100 ms, doubling, capped at 20 s), applied in virtual time. */
const backoffMs = (attempt: number) => (attempt <= 1 ? 0 : Math.min(20_000, 100 * 2 ** (attempt - 2)));

export async function simulateCycle(o: SimOptions): Promise<SimResult> {
    const started = Date.now();
    const latency = o.latency ?? ASSUMED_LATENCY_MS;
    const clock = new VirtualClock();
    const tasks = new Tasks(clock);
    const als = new AsyncLocalStorage<{ inv: number; holding?: string }>();
    const poison = new Set(o.poisonAccounts ?? []);

    // The organization.
    const keys = new Map<string, Map<string, Key>>();
    const nonCompliant: string[] = [];
    const mfaOnly: string[] = [];
    for (let i = 1; i <= o.accounts; i++) {
        const id = accountIdOf(i);
        if (i % o.nonCompliantEvery === 0 || poison.has(id)) {
            nonCompliant.push(id);
            const key: Key = { id: keyIdOf(i), created: new Date(NOW.getTime() - 400 * DAY) };
            // Half the keys are in use, half untouched for 200 days: delete-unused removes only those.
            key.lastUsed = { date: new Date(NOW.getTime() - (i % 2 === 0 ? 200 : 1) * DAY), service: "s3", region: "us-east-1" };
            keys.set(id, new Map([[key.id, key]]));
        } else if (o.mfaOnlyEvery && i % o.mfaOnlyEvery === 0) {
            mfaOnly.push(id);
        }
    }
    // Every 10th non-compliant account is reported from a second region too, on a later page.
    const rows = [...nonCompliant, ...nonCompliant.filter((_, i) => i % 10 === 0)].map((AccountId, i) => ({
        ConfigRuleName: ORG_RULE,
        AccountId,
        AwsRegion: i < nonCompliant.length ? "eu-west-1" : "us-east-1",
        Compliance: { ComplianceType: "NON_COMPLIANT" as const },
    }));

    const result: SimResult = {
        nonCompliant,
        mfaOnly,
        inventoried: new Set(),
        notifications: new Map(),
        deadLetters: [],
        keysDeleted: 0,
        keysLeft: 0,
        overlaps: [],
        maxConcurrentInvocations: 0,
        assumeRoot: { calls: 0, throttled: 0, sessions: 0 },
        lambda: { invocations: 0, coldStarts: 0, billedMs: 0, gbSeconds: 0, reconcileMs: 0 },
        sqs: { sendBatch: 0, receive: 0, emptyReceive: 0, deleteBatch: 0, messagesSent: 0, duplicatesDelivered: 0, longPolls: 0 },
        dynamodb: { writeUnits: 0, readUnits: 0, requests: { put: 0, get: 0, update: 0, delete: 0, conditionFailed: 0 } },
        sns: { publishes: 0 },
        config: { pages: 0 },
        logBytes: 0,
        emfLines: 0,
        metrics: {},
        lastAccountDoneMs: 0,
        cycleMs: 0,
        wallMs: 0,
    };

    // Which invocation works on which account right now: the holder from its first AWS call about the account until
    // its next record starts (the idempotency put) or it ends. Two holders of one account is an overlap.
    const holders = new Map<string, Set<number>>();
    const release = (st: { inv: number; holding?: string }) => {
        if (st.holding) holders.get(st.holding)?.delete(st.inv);
        st.holding = undefined;
    };
    const touch = (accountId: string) => {
        const st = als.getStore();
        if (!st || st.holding === accountId) return;
        release(st);
        const set = holders.get(accountId) ?? new Set<number>();
        if (set.size > 0) result.overlaps.push({ accountId, at: clock.now });
        set.add(st.inv);
        holders.set(accountId, set);
        st.holding = accountId;
    };

    const queue = new FakeQueue(clock, {
        visibilityTimeoutMs: 6 * o.timeoutSeconds * 1000,
        maxReceiveCount: o.maxReceiveCount,
        duplicateEvery: o.duplicateEvery,
    });

    // AWS fakes (aws-sdk-client-mock): the clients' send is replaced for every instance.
    const stubs: AwsClientStub<any>[] = [];
    const stub = <T extends AwsClientStub<any>>(s: T): T => (stubs.push(s), s);
    const config = stub(mockClient(ConfigServiceClient));
    const sqs = stub(mockClient(SQSClient));
    const iam = stub(mockClient(IAMClient));
    const sns = stub(mockClient(SNSClient));
    const dynamodb = stub(mockClient(DynamoDBClient));
    try {
        config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake(async (input) => {
            await clock.sleep(latency.describeAggregatePage);
            result.config.pages++;
            const f = input.Filters ?? {};
            if (f.AccountId === SELF) {
                return {
                    AggregateComplianceByConfigRules: [ORG_RULE, MFA_RULE].map((ConfigRuleName) => ({
                        ConfigRuleName,
                        AccountId: SELF,
                        AwsRegion: f.AwsRegion,
                        Compliance: { ComplianceType: "COMPLIANT" },
                    })),
                };
            }
            if (f.ConfigRuleName === ROOT_ACCESS_KEY_RULE.defaultName) return { AggregateComplianceByConfigRules: [] };
            if (f.ConfigRuleName === ORG_RULE && f.ComplianceType === "NON_COMPLIANT") {
                const start = Number(input.NextToken ?? 0);
                const end = start + 1000;
                return { AggregateComplianceByConfigRules: rows.slice(start, end), NextToken: end < rows.length ? String(end) : undefined };
            }
            throw new Error(`simulation: unexpected aggregator query ${JSON.stringify(f)}`);
        });
        sqs.on(SendMessageBatchCommand).callsFake(async (input) => {
            await clock.sleep(latency.sendMessageBatch);
            const entries = input.Entries ?? [];
            const ids = queue.sendBatch(entries.map((e: { MessageBody: string }) => e.MessageBody));
            return {
                Successful: entries.map((e: { Id: string }, i: number) => ({ Id: e.Id, MessageId: ids[i], MD5OfMessageBody: "" })),
                Failed: [],
            };
        });
        const sessionAccount = async (getClient: () => IAMClient): Promise<{ accountId: string; task: string }> => {
            const creds = await (getClient().config.credentials as () => Promise<{ sessionToken?: string }>)();
            const [, accountId, task] = String(creds.sessionToken).split(":");
            return { accountId, task };
        };
        iam.on(ListAccessKeysCommand).callsFake(async (_input, getClient) => {
            const { accountId, task } = await sessionAccount(getClient as () => IAMClient);
            touch(accountId);
            await clock.sleep(latency.listAccessKeys);
            if (task === "audit") result.inventoried.add(accountId);
            const metadata = [...(keys.get(accountId)?.values() ?? [])].map((k) => ({
                AccessKeyId: k.id,
                Status: "Active",
                CreateDate: k.created,
            }));
            return { AccessKeyMetadata: metadata, IsTruncated: false };
        });
        iam.on(GetAccessKeyLastUsedCommand).callsFake(async (input, getClient) => {
            const { accountId } = await sessionAccount(getClient as () => IAMClient);
            touch(accountId);
            await clock.sleep(latency.getAccessKeyLastUsed);
            const k = keys.get(accountId)?.get(input.AccessKeyId);
            if (!k) throw new NoSuchEntityException({ message: "gone", $metadata: {} });
            return { AccessKeyLastUsed: { LastUsedDate: k.lastUsed?.date, ServiceName: k.lastUsed?.service, Region: k.lastUsed?.region } };
        });
        iam.on(DeleteAccessKeyCommand).callsFake(async (input, getClient) => {
            const { accountId } = await sessionAccount(getClient as () => IAMClient);
            touch(accountId);
            await clock.sleep(latency.deleteAccessKey);
            if (!keys.get(accountId)?.delete(input.AccessKeyId)) throw new NoSuchEntityException({ message: "gone", $metadata: {} });
            result.keysDeleted++;
            return {};
        });
        sns.on(PublishCommand).callsFake(async (input) => {
            const accountId = input.MessageAttributes?.accountId?.StringValue ?? "(none)";
            if (accountId !== "(none)") touch(accountId);
            await clock.sleep(latency.publish);
            result.sns.publishes++;
            const list = result.notifications.get(accountId) ?? [];
            list.push(input.MessageAttributes?.status?.StringValue ?? "?");
            result.notifications.set(accountId, list);
            return { MessageId: `n-${result.sns.publishes}` };
        });
        const table = fakeDynamoDb(dynamodb, {
            before: async (op, key) => {
                // A record's work starts with the put of its "remediate" idempotency record: the previous account is done.
                const st = als.getStore();
                if (op === "put" && st && key.startsWith("rootguard.remediate#")) release(st);
                await clock.sleep(latency.dynamodb);
            },
        });

        // STS over the real SDK client: its protocol and retry strategy, answered in-process in virtual time.
        let tokens = o.assumeRootRate?.burst ?? Infinity;
        let refilledAt = 0;
        let sessions = 0;
        const stsEndpoint = {
            handle: async (request: { body?: string; headers: Record<string, string> }) => {
                const params = new URLSearchParams(String(request.body ?? ""));
                const attempt = Number(/attempt=(\d+)/.exec(request.headers["amz-sdk-request"] ?? "")?.[1] ?? "1");
                await clock.sleep(backoffMs(attempt) + latency.assumeRoot);
                const accountId = params.get("TargetPrincipal") ?? "";
                touch(accountId);
                result.assumeRoot.calls++;
                if (o.assumeRootRate) {
                    tokens = Math.min(o.assumeRootRate.burst, tokens + ((clock.now - refilledAt) / 1000) * o.assumeRootRate.perSecond);
                    refilledAt = clock.now;
                }
                const ok = params.get("Action") === "AssumeRoot" && !poison.has(accountId) && tokens >= 1;
                if (!ok) {
                    result.assumeRoot.throttled++;
                    return {
                        response: {
                            statusCode: 400,
                            headers: { "content-type": "text/xml" },
                            body: Readable.from([Buffer.from(THROTTLING)]),
                        },
                    };
                }
                tokens -= 1;
                const task = /Delete/.test(params.get("TaskPolicyArn.arn") ?? "") ? "delete" : "audit";
                const token = `sim:${accountId}:${task}:${++sessions}`;
                const body = xml(
                    "AssumeRoot",
                    `<Credentials><AccessKeyId>ASIAZ7SIMSESSION${String(sessions % 10000).padStart(4, "0")}</AccessKeyId><SecretAccessKey>simulated-session-secret-not-a-real-key</SecretAccessKey><SessionToken>${token}</SessionToken><Expiration>2026-11-22T12:15:00Z</Expiration></Credentials>`,
                );
                return { response: { statusCode: 200, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(body)]) } };
            },
            updateHttpClientConfig: () => undefined,
            httpHandlerConfigs: () => ({}),
        };

        const s = settings({ action: o.action, maxReceiveCount: o.maxReceiveCount, queueUrl: QUEUE_URL, maxAttempts: o.sdkAttempts ?? 5 });
        const metrics = memoryMetrics();
        const countingLog = (): Log => {
            const at = (level: string) => (message: string, attributes?: LogAttributes) => {
                // Powertools adds about 150 bytes per line (timestamp, level, service, request and function fields).
                result.logBytes += 150 + Buffer.byteLength(message) + Buffer.byteLength(JSON.stringify(attributes ?? {}));
                void level;
            };
            return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
        };
        const newContainer = () => {
            const clients = createClients({
                region: s.region,
                retryStrategy: new ConfiguredRetryStrategy(o.sdkAttempts ?? 5, () => 0),
                requestHandler: stsEndpoint as never,
            });
            (clients.sts.config as { credentials: unknown }).credentials = async () => ({
                accessKeyId: "AKIAZ7REMEDIATORROLE",
                secretAccessKey: "remediator-role",
            });
            const deps: RemediatorDeps = {
                settings: s,
                clients,
                log: countingLog(),
                now: () => NOW,
                metrics: {
                    count: metrics.count,
                    flush: () => {
                        result.emfLines++;
                        metrics.flush();
                    },
                },
                once: o.idempotency === false ? noOnce : dynamoDbOnce(s.idempotencyTable as string, clients.dynamodb),
            };
            return { handler: createHandler(() => deps), fresh: true };
        };
        const idle: ReturnType<typeof newContainer>[] = [];
        let invocations = 0;
        let active = 0;
        const invoke = async (event: unknown): Promise<{ response?: unknown; threw: boolean; ms: number }> => {
            const container = idle.pop() ?? newContainer();
            const start = clock.now;
            if (container.fresh) {
                result.lambda.coldStarts++;
                await clock.sleep(latency.coldStart);
                container.fresh = false;
            }
            await clock.sleep(latency.invocation);
            const context = {
                getRemainingTimeInMillis: () => o.timeoutSeconds * 1000 - (clock.now - start),
                invokedFunctionArn: FUNCTION_ARN,
            };
            const store = { inv: ++invocations };
            let response: unknown;
            let threw = false;
            try {
                response = await als.run(store, () => container.handler(event, context));
            } catch (err) {
                if (process.env.SIM_DEBUG) console.error(err);
                threw = true;
            }
            release(store);
            idle.push(container);
            // sinon keeps every call's arguments; nothing here reads them back, and 10,000 accounts' worth costs GC time.
            if (invocations % 50 === 0) for (const st of stubs) st.resetHistory();
            const ms = Math.ceil(clock.now - start);
            result.lambda.invocations++;
            result.lambda.billedMs += ms;
            result.lambda.gbSeconds += (ms / 1000) * (o.memoryMb / 1024);
            return { response, threw, ms };
        };

        // The schedule's tick (and any redelivery of it: the same cycle).
        const cycle = "2026-11-22T12:00:00Z";
        let deliveries = o.reconcileDeliveries ?? 1;
        const reconcile = async (): Promise<void> => {
            const r = await invoke({ source: "rootguard.reconcile", cycle });
            if (r.threw) throw new Error("the reconcile failed");
            result.lambda.reconcileMs += r.ms;
            if (--deliveries > 0) tasks.spawn(reconcile);
        };
        tasks.spawn(reconcile);

        const dispatch = () => {
            while (active < o.concurrency && queue.hasVisible()) {
                const batch = queue.receive(o.batchSize);
                if (batch.length === 0) break;
                active++;
                result.maxConcurrentInvocations = Math.max(result.maxConcurrentInvocations, active);
                tasks.spawn(async () => {
                    const r = await invoke(sqsEventOf(batch, QUEUE_ARN));
                    const failed = settleBatch(queue, batch, r.response as SQSBatchResponse | undefined, r.threw);
                    if (failed.length < batch.length) result.lastAccountDoneMs = clock.now;
                    active--;
                });
            }
        };

        for (;;) {
            dispatch();
            await tasks.settle();
            if (active < o.concurrency && queue.hasVisible()) continue;
            if (tasks.running > 0) {
                const timer = clock.nextAt() as number;
                const visible = active < o.concurrency ? queue.nextVisibleAt() : undefined;
                clock.advanceTo(visible !== undefined && visible < timer ? visible : timer);
                continue;
            }
            const next = queue.nextVisibleAt();
            if (next === undefined) break;
            // Nothing to do until a failed message is visible again: the pollers long-poll meanwhile.
            result.sqs.longPolls += Math.ceil((next - clock.now) / LONG_POLL_MS) * POLLERS;
            clock.advanceTo(next);
        }
        // The last receive that finds only dead letters moves them; count it like the event source would.
        if (queue.size > 0) queue.receive(o.batchSize);

        result.cycleMs = clock.now;
        result.deadLetters = queue.deadLetters.map((m) => ({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount }));
        Object.assign(result.sqs, queue.counts);
        result.assumeRoot.sessions = sessions;
        result.dynamodb = { writeUnits: table.writeUnits, readUnits: table.readUnits, requests: { ...table.requests } };
        result.metrics = { ...metrics.totals };
        for (const m of keys.values()) result.keysLeft += m.size;
        result.wallMs = Date.now() - started;
        return result;
    } finally {
        for (const s of stubs) s.restore();
    }
}
