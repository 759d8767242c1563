/** Plain values ↔ protobuf Struct and enforcement levels, as they go on the Analyzer wire. */
import * as assert from "node:assert/strict";
import { ENFORCEMENT_LEVELS, fromStruct, levelFromWire, levelToWire, toStruct } from "../../src/engine";

describe("engine: wire values", () => {
    it("maps enforcement levels to the protocol's numbers and back", () => {
        assert.deepEqual(ENFORCEMENT_LEVELS.map(levelToWire), [0, 1, 2, 3]);
        assert.deepEqual([0, 1, 2, 3].map(levelFromWire), ["advisory", "mandatory", "disabled", "remediate"]);
        assert.throws(() => levelFromWire(7), /unknown enforcement level 7/);
    });

    it("round-trips JSON values and converts the rest the way JSON.stringify would", () => {
        const when = new Date("2026-11-22T00:00:00Z");
        const input = {
            s: "x",
            n: 1.5,
            b: false,
            z: null,
            a: [1, undefined, { k: "v" }],
            o: { deep: { er: [] } },
            d: when,
            big: BigInt(7),
            gone: undefined,
            fn: () => 1,
        };
        assert.deepEqual(fromStruct(toStruct(input)), {
            s: "x",
            n: 1.5,
            b: false,
            z: null,
            a: [1, null, { k: "v" }],
            o: { deep: { er: [] } },
            d: when.toISOString(),
            big: 7,
        });
    });

    it("keeps Pulumi's secret and unknown markers as plain data", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" };
        const input = { secret, unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
        assert.deepEqual(fromStruct(toStruct(input)), input);
    });

    it("refuses cycles with their path but accepts the same object twice side by side", () => {
        const shared = { x: 1 };
        assert.deepEqual(fromStruct(toStruct({ p: shared, q: [shared] })), { p: { x: 1 }, q: [{ x: 1 }] });
        const a: unknown[] = [];
        a.push({ back: a });
        assert.throws(() => toStruct({ list: a }), /list\[0\]\.back: cyclic value/);
    });
});
