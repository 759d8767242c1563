/**
 * At most once per key, across Lambda containers: Powertools Idempotency with its DynamoDB persistence layer.
 * The remediator keys an account's work on the account and the reconcile cycle (or on the EventBridge event ID),
 * in two steps: "remediate" stores the account's report, "notify" marks its e-mail as sent. A retried message
 * then replays the stored report instead of acting again, and a notification that failed to publish is sent on
 * the retry without repeating the deletes. While a key is in progress elsewhere, a second attempt is refused
 * (IdempotencyAlreadyInProgressError): no account is handled twice at the same time.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";

export type OnceStep = "remediate" | "notify" | "not-reached";

export interface LambdaTime {
    getRemainingTimeInMillis(): number;
}

export interface Once {
    /**
     * `work()` unless `key` already completed this step (then its stored result) or is in progress elsewhere
     * (then IdempotencyAlreadyInProgressError). A throw deletes the record so a retry can run again. Without a
     * key, or without a table, `work()` simply runs.
     */
    run<T>(step: OnceStep, key: string | undefined, context: LambdaTime | undefined, work: () => Promise<T>): Promise<T>;
}

/** Records outlive every retry of a cycle (visibility timeout × receives) and EventBridge's retry window. */
export const IDEMPOTENCY_EXPIRES_SECONDS = 24 * 3600;

export const noOnce: Once = { run: (_step, _key, _context, work) => work() };

export function dynamoDbOnce(tableName: string, client: DynamoDBClient, expiresAfterSeconds = IDEMPOTENCY_EXPIRES_SECONDS): Once {
    // One persistence layer and config per step: Powertools configures a layer once, with one key prefix.
    const steps = new Map<OnceStep, { store: DynamoDBPersistenceLayer; config: IdempotencyConfig }>();
    const forStep = (step: OnceStep) => {
        let s = steps.get(step);
        if (!s) {
            s = {
                store: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
                config: new IdempotencyConfig({ eventKeyJmesPath: "key", throwOnNoIdempotencyKey: true, expiresAfterSeconds }),
            };
            steps.set(step, s);
        }
        return s;
    };
    return {
        run: (step, key, context, work) => {
            if (key === undefined) return work();
            const { store, config } = forStep(step);
            // The in-progress lock expires with the invocation, so a crashed attempt does not block retries.
            if (context) config.registerLambdaContext(context as Parameters<IdempotencyConfig["registerLambdaContext"]>[0]);
            // Stored as DynamoDB attributes, which cannot hold `undefined`: keep exactly what JSON keeps, on the first
            // run and on a replay alike.
            const once = makeIdempotent(async (_payload: { key: string }) => jsonCopy(await work()), {
                persistenceStore: store,
                config,
                keyPrefix: `rootguard.${step}`,
            });
            return once({ key });
        },
    };
}

function jsonCopy<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Powertools refuses a key another invocation holds. */
export function isAlreadyInProgress(err: unknown): boolean {
    return err instanceof Error && err.name === "IdempotencyAlreadyInProgressError";
}
