/**
 * An in-memory DynamoDB table behind aws-sdk-client-mock, answering exactly the requests Powertools Idempotency's
 * DynamoDBPersistenceLayer sends (@aws-lambda-powertools/idempotency 2.35.0, lib/cjs/persistence/
 * DynamoDBPersistenceLayer.js): a conditional PutItem, a consistent GetItem, a SET UpdateItem and a DeleteItem.
 * A condition or update expression it does not know fails loudly, so a Powertools upgrade that changes them is
 * noticed instead of silently "passing". It also counts request units the way on-demand DynamoDB bills them.
 */
import {
    ConditionalCheckFailedException,
    DeleteItemCommand,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
    type AttributeValue,
    type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { AwsClientStub } from "aws-sdk-client-mock";

type Item = Record<string, AttributeValue>;

/** The condition Powertools puts an in-progress record with (see the module comment). */
export const POWERTOOLS_PUT_CONDITION =
    "attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)";

export interface FakeTable {
    items: Map<string, Item>;
    /** Write request units (1 per KB written, the larger of old and new item for updates; failed conditions too). */
    writeUnits: number;
    /** Read request units (strongly consistent: 1 per 4 KB). */
    readUnits: number;
    requests: Record<"put" | "get" | "update" | "delete" | "conditionFailed", number>;
}

/** DynamoDB's item size: attribute names plus values (strings in UTF-8 bytes, numbers about one byte per two digits). */
export function itemBytes(item: Item | undefined): number {
    if (!item) return 0;
    let bytes = 0;
    for (const [name, value] of Object.entries(item)) {
        bytes += Buffer.byteLength(name);
        if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
        else if (value.N !== undefined) bytes += Math.ceil(value.N.replace(/[-.]/g, "").length / 2) + 1;
        else bytes += Buffer.byteLength(JSON.stringify(value));
    }
    return bytes;
}

const wru = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const rru = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

function keyOf(key: Item | undefined): string {
    const id = key?.id?.S;
    if (id === undefined) throw new Error(`fake DynamoDB: expected a string key "id", got ${JSON.stringify(key)}`);
    return id;
}

const num = (v: AttributeValue | undefined): number | undefined => (v?.N === undefined ? undefined : Number(v.N));

/** `before` runs ahead of every request (the simulation uses it for latency and to mark where a record starts). */
export function fakeDynamoDb(
    stub: AwsClientStub<DynamoDBClient>,
    hooks: { before?: (op: "put" | "get" | "update" | "delete", key: string) => Promise<void> } = {},
): FakeTable {
    const before = hooks.before ?? (async () => undefined);
    const table: FakeTable = {
        items: new Map(),
        writeUnits: 0,
        readUnits: 0,
        requests: { put: 0, get: 0, update: 0, delete: 0, conditionFailed: 0 },
    };
    stub.on(PutItemCommand).callsFake(async (input) => {
        await before("put", String((input.Item as Item | undefined)?.id?.S));
        table.requests.put++;
        if (input.ConditionExpression !== POWERTOOLS_PUT_CONDITION) {
            throw new Error(`fake DynamoDB: unsupported condition ${JSON.stringify(input.ConditionExpression)}`);
        }
        const names = input.ExpressionAttributeNames as Record<string, string>;
        const values = input.ExpressionAttributeValues as Item;
        const item = input.Item as Item;
        const id = keyOf({ [names["#id"]]: item[names["#id"]] } as Item);
        const old = table.items.get(id);
        table.writeUnits += wru(Math.max(itemBytes(old), itemBytes(item)));
        const ok =
            old === undefined ||
            (num(old[names["#expiry"]]) ?? Infinity) < (num(values[":now"]) ?? -Infinity) ||
            (old[names["#status"]]?.S === values[":inprogress"]?.S &&
                old[names["#in_progress_expiry"]] !== undefined &&
                (num(old[names["#in_progress_expiry"]]) ?? Infinity) < (num(values[":now_in_millis"]) ?? -Infinity));
        if (!ok) {
            table.requests.conditionFailed++;
            throw new ConditionalCheckFailedException({
                message: "The conditional request failed",
                $metadata: { httpStatusCode: 400 },
                ...(input.ReturnValuesOnConditionCheckFailure === "ALL_OLD" ? { Item: old } : {}),
            });
        }
        table.items.set(id, { ...item });
        return {};
    });
    stub.on(GetItemCommand).callsFake(async (input) => {
        await before("get", String(input.Key?.id?.S));
        table.requests.get++;
        const item = table.items.get(keyOf(input.Key));
        table.readUnits += rru(itemBytes(item));
        return item ? { Item: { ...item } } : {};
    });
    stub.on(UpdateItemCommand).callsFake(async (input) => {
        await before("update", String(input.Key?.id?.S));
        table.requests.update++;
        const expression = String(input.UpdateExpression ?? "");
        const m = /^SET (.+)$/.exec(expression);
        if (!m) throw new Error(`fake DynamoDB: unsupported update ${JSON.stringify(expression)}`);
        const id = keyOf(input.Key);
        const old = table.items.get(id);
        const next: Item = { ...(old ?? input.Key) };
        for (const part of m[1].split(",")) {
            const a = /^\s*(#\w+) = (:\w+)\s*$/.exec(part);
            if (!a) throw new Error(`fake DynamoDB: unsupported update clause ${JSON.stringify(part)}`);
            const name = input.ExpressionAttributeNames?.[a[1]];
            const value = input.ExpressionAttributeValues?.[a[2]];
            if (name === undefined || value === undefined) throw new Error(`fake DynamoDB: unbound ${a[1]} or ${a[2]}`);
            next[name] = value;
        }
        table.writeUnits += wru(Math.max(itemBytes(old), itemBytes(next)));
        table.items.set(id, next);
        return {};
    });
    stub.on(DeleteItemCommand).callsFake(async (input) => {
        await before("delete", String(input.Key?.id?.S));
        table.requests.delete++;
        const id = keyOf(input.Key);
        table.writeUnits += wru(itemBytes(table.items.get(id)));
        table.items.delete(id);
        return {};
    });
    return table;
}
