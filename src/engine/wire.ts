/**
 * Plain data ↔ protobuf on the Analyzer wire: property trees as google.protobuf.Struct, enforcement levels
 * as the protocol's enum. Property trees arrive from programs, stack exports and generated benchmarks, so the
 * conversion tolerates what JSON tolerates (undefined, functions) and refuses what JSON cannot carry (cycles).
 */
import type { Struct, Value } from "google-protobuf/google/protobuf/struct_pb";
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
    const struct = new structPb.Struct();
    fillStruct(struct, properties, where, new Set());
    return struct;
}

export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
    return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

function fillStruct(struct: Struct, obj: object, path: string, open: Set<object>): void {
    open.add(obj);
    const fields = struct.getFieldsMap();
    for (const [key, v] of Object.entries(obj)) {
        // JSON drops these; so does the engine's marshaller, which never sees them.
        if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
        fields.set(key, toValue(v, path ? `${path}.${key}` : key, open));
    }
    open.delete(obj);
}

function toValue(v: unknown, path: string, open: Set<object>): Value {
    const value = new structPb.Value();
    switch (typeof v) {
        case "string":
            value.setStringValue(v);
            return value;
        case "number":
            value.setNumberValue(v);
            return value;
        case "boolean":
            value.setBoolValue(v);
            return value;
        case "bigint":
            value.setNumberValue(Number(v));
            return value;
        case "undefined":
        case "function":
        case "symbol":
            value.setNullValue(structPb.NullValue.NULL_VALUE);
            return value;
    }
    if (v === null) {
        value.setNullValue(structPb.NullValue.NULL_VALUE);
        return value;
    }
    const obj = v as object;
    if (open.has(obj)) throw new WireValueError(path, "cyclic value (a property refers back to one of its parents)");
    if (obj instanceof Date) {
        value.setStringValue(obj.toISOString());
        return value;
    }
    if (Array.isArray(obj)) {
        open.add(obj);
        const list = new structPb.ListValue();
        list.setValuesList(obj.map((item, i) => toValue(item, `${path}[${i}]`, open)));
        open.delete(obj);
        value.setListValue(list);
        return value;
    }
    const struct = new structPb.Struct();
    fillStruct(struct, obj, path, open);
    value.setStructValue(struct);
    return value;
}
