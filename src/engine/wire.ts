/**
 * Plain data ↔ protobuf on the Analyzer wire: property trees as google.protobuf.Struct, enforcement levels
 * as the protocol's enum. Property trees arrive from programs, stack exports and generated benchmarks, so the
 * conversion tolerates what JSON tolerates (undefined, functions) and refuses what JSON cannot carry (cycles).
 */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { structPb } from "./proto";
import type { EnforcementLevel } from "./types";

const LEVEL_TO_WIRE: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const WIRE_TO_LEVEL: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = WIRE_TO_LEVEL;

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && Object.prototype.hasOwnProperty.call(LEVEL_TO_WIRE, value);
}

export function levelToWire(level: EnforcementLevel): number {
    return LEVEL_TO_WIRE[level];
}

export function levelFromWire(level: number): EnforcementLevel {
    const name = WIRE_TO_LEVEL[level];
    if (!name) throw new Error(`pack answered with unknown enforcement level ${level}; is it built for a newer Pulumi?`);
    return name;
}

/** Thrown for a value that cannot travel; `path` names where, so the caller can point at the property. */
export class WireValueError extends Error {
    constructor(
        readonly path: string,
        reason: string,
    ) {
        super(`${path || "(root)"}: ${reason}`);
    }
}

/** `properties` as a protobuf Struct, the way the engine marshals resource inputs. */
export function toStruct(properties: Record<string, unknown>, where = ""): Struct {
    return structPb.Struct.deserializeBinary(encodeStruct(properties, where));
}

export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
    return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

/*
 * google.protobuf.Struct written straight to bytes, without google-protobuf's message objects: for a 100 MB
 * stack export those objects were most of the CLI's encoding time and garbage. The bytes are the ones
 * google-protobuf writes (map keys sorted, as its Map serializer sorts them; oneof members written even when
 * zero); a test holds the two together. Two passes: the first checks the tree and measures every nested message
 * and string (protobuf puts a length before each), the second writes into one buffer of the exact size.
 *
 * Field numbers from google/protobuf/struct.proto: Struct.fields = 1 (map entry: key = 1, value = 2); Value
 * null_value = 1, number_value = 2, string_value = 3, bool_value = 4, struct_value = 5, list_value = 6;
 * ListValue.values = 1. A tag byte is (field << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
 */
const TAG = {
    entry: 0x0a,
    key: 0x0a,
    value: 0x12,
    null: 0x08,
    number: 0x11,
    string: 0x1a,
    bool: 0x20,
    struct: 0x2a,
    list: 0x32,
    item: 0x0a,
} as const;

/** Lengths in the order the writer needs them, and each object's keys as sent. */
interface Plan {
    lengths: number[];
    keys: string[][];
}

function varintSize(n: number): number {
    let size = 1;
    while (n > 0x7f) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

function sent(v: unknown): boolean {
    // JSON drops these; so does the engine's marshaller, which never sees them.
    return v !== undefined && typeof v !== "function" && typeof v !== "symbol";
}

function measureStruct(obj: object, path: string, open: Set<object>, plan: Plan): number {
    open.add(obj);
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record)
        .filter((k) => sent(record[k]))
        .sort();
    plan.keys.push(keys);
    let total = 0;
    for (const key of keys) {
        const entryAt = plan.lengths.push(0) - 1;
        const keyLength = Buffer.byteLength(key, "utf8");
        plan.lengths.push(keyLength);
        const valueAt = plan.lengths.push(0) - 1;
        const value = measureValue(record[key], path ? `${path}.${key}` : key, open, plan);
        plan.lengths[valueAt] = value;
        const entry = 1 + varintSize(keyLength) + keyLength + 1 + varintSize(value) + value;
        plan.lengths[entryAt] = entry;
        total += 1 + varintSize(entry) + entry;
    }
    open.delete(obj);
    return total;
}

/** The size of one Value message's body. */
function measureValue(v: unknown, path: string, open: Set<object>, plan: Plan): number {
    switch (typeof v) {
        case "string": {
            const length = Buffer.byteLength(v, "utf8");
            plan.lengths.push(length);
            return 1 + varintSize(length) + length;
        }
        case "number":
        case "bigint":
            return 9;
        case "boolean":
        case "undefined":
        case "function":
        case "symbol":
            return 2;
    }
    if (v === null) return 2;
    const obj = v as object;
    if (open.has(obj)) throw new WireValueError(path, "cyclic value (a property refers back to one of its parents)");
    if (obj instanceof Date) return measureValue(obj.toISOString(), path, open, plan);
    const bodyAt = plan.lengths.push(0) - 1;
    let body = 0;
    if (Array.isArray(obj)) {
        open.add(obj);
        obj.forEach((item, i) => {
            const itemAt = plan.lengths.push(0) - 1;
            const size = measureValue(item, `${path}[${i}]`, open, plan);
            plan.lengths[itemAt] = size;
            body += 1 + varintSize(size) + size;
        });
        open.delete(obj);
    } else {
        body = measureStruct(obj, path, open, plan);
    }
    plan.lengths[bodyAt] = body;
    return 1 + varintSize(body) + body;
}

class StructWriter {
    private pos = 0;
    private length = 0;
    private keyList = 0;

    constructor(
        private readonly buf: Buffer,
        private readonly plan: Plan,
    ) {}

    private next(): number {
        return this.plan.lengths[this.length++];
    }

    private byte(b: number): void {
        this.buf[this.pos++] = b;
    }

    private varint(n: number): void {
        while (n > 0x7f) {
            this.buf[this.pos++] = (n & 0x7f) | 0x80;
            n = Math.floor(n / 128);
        }
        this.buf[this.pos++] = n;
    }

    private text(s: string, length: number): void {
        this.varint(length);
        this.pos += this.buf.write(s, this.pos, length, "utf8");
    }

    struct(obj: object): void {
        const record = obj as Record<string, unknown>;
        for (const key of this.plan.keys[this.keyList++]) {
            this.byte(TAG.entry);
            this.varint(this.next());
            this.byte(TAG.key);
            this.text(key, this.next());
            this.byte(TAG.value);
            this.varint(this.next());
            this.value(record[key]);
        }
    }

    value(v: unknown): void {
        switch (typeof v) {
            case "string":
                this.byte(TAG.string);
                this.text(v, this.next());
                return;
            case "number":
            case "bigint":
                this.byte(TAG.number);
                this.pos = this.buf.writeDoubleLE(Number(v), this.pos);
                return;
            case "boolean":
                this.byte(TAG.bool);
                this.byte(v ? 1 : 0);
                return;
            case "undefined":
            case "function":
            case "symbol":
                this.byte(TAG.null);
                this.byte(0);
                return;
        }
        if (v === null) {
            this.byte(TAG.null);
            this.byte(0);
            return;
        }
        if (v instanceof Date) {
            this.value(v.toISOString());
            return;
        }
        if (Array.isArray(v)) {
            this.byte(TAG.list);
            this.varint(this.next());
            for (const item of v) {
                this.byte(TAG.item);
                this.varint(this.next());
                this.value(item);
            }
            return;
        }
        this.byte(TAG.struct);
        this.varint(this.next());
        this.struct(v as object);
    }

    done(): Buffer {
        if (this.pos !== this.buf.length) throw new Error(`struct encoding wrote ${this.pos} of ${this.buf.length} bytes`);
        return this.buf;
    }
}

/** `properties` as the bytes of a google.protobuf.Struct message; `where` prefixes paths in errors. */
export function encodeStruct(properties: Record<string, unknown>, where = ""): Buffer {
    const plan: Plan = { lengths: [], keys: [] };
    const size = measureStruct(properties ?? {}, where, new Set(), plan);
    const writer = new StructWriter(Buffer.allocUnsafe(size), plan);
    writer.struct(properties ?? {});
    return writer.done();
}
