/**
 * Property trees are written as google.protobuf.Struct bytes directly (src/engine/wire.ts encodeStruct), not
 * through google-protobuf's message objects. The bytes must be exactly the ones google-protobuf writes, so a
 * pack decodes the same tree, key order included.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { structPb } from "../../src/engine/proto";
import { WireValueError, encodeStruct, fromStruct, toStruct } from "../../src/engine/wire";

const viaGoogleProtobuf = (tree: Record<string, unknown>): Buffer =>
    Buffer.from(structPb.Struct.fromJavaScript(tree as never).serializeBinary());

describe("protocol: Struct bytes written directly", () => {
    it("are google-protobuf's bytes for any JSON tree (keys sorted, zeros and empties written)", () => {
        fc.assert(
            fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })), (tree) => {
                // google-protobuf keeps map entries in a plain object, where a "__proto__" key sets the prototype
                // and the entry is lost; the direct encoding carries it, as the engine's marshaller would.
                fc.pre(!JSON.stringify(tree).includes('"__proto__":'));
                assert.deepEqual(encodeStruct(tree), viaGoogleProtobuf(tree));
            }),
            { numRuns: 300 },
        );
        const edge = { "": "", z: 0, a: false, n: null, l: [[], {}, [null]], big: -1.5e300, uni: "ré💥 \u0000 \u2028", b: true };
        assert.deepEqual(encodeStruct(edge), viaGoogleProtobuf(edge));
    });

    it("round-trips a 10 MB string and a 200-level nest (lengths of up to four bytes)", () => {
        let deep: Record<string, unknown> = { leaf: "x".repeat(300) };
        for (let i = 0; i < 200; i++) deep = { next: deep, i };
        const tree = { deep, template: "y".repeat(10 * 1024 * 1024) };
        assert.deepEqual(encodeStruct(tree), viaGoogleProtobuf(tree));
        assert.deepEqual(fromStruct(toStruct(tree)), tree);
    });

    it("treats what JSON cannot carry as JSON.stringify does, and names the path of a cycle", () => {
        const when = new Date("2026-11-30T00:00:00.000Z");
        const tree = { a: undefined, f: () => 1, list: [undefined, () => 1, 2n], when, nested: { keep: 1, drop: undefined } };
        assert.deepEqual(fromStruct(toStruct(tree)), {
            list: [null, null, 2],
            when: "2026-11-30T00:00:00.000Z",
            nested: { keep: 1 },
        });
        const loop: Record<string, unknown> = { name: "x" };
        loop.self = { inner: [loop] };
        assert.throws(
            () => encodeStruct({ tags: loop }),
            (err: Error) =>
                err instanceof WireValueError &&
                err.message === "tags.self.inner[0]: cyclic value (a property refers back to one of its parents)",
        );
        const shared = { same: 1 };
        assert.deepEqual(fromStruct(toStruct({ a: shared, b: shared })), { a: { same: 1 }, b: { same: 1 } }, "shared is not cyclic");
    });
});
