/**
 * The CLI's config reconciliation, without a pack: defaults, then the pack's initial config, then the
 * user's, validated against each policy's schema.
 */
import * as assert from "node:assert/strict";
import { PolicyConfigError, PolicyConfigReconciler, type PolicyInfo } from "../../src/engine";

const policies: PolicyInfo[] = [
    {
        name: "a",
        displayName: "",
        description: "",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                mode: { type: "string", enum: ["fast", "slow"], default: "fast" },
                limits: { type: "object", properties: { max: { type: "integer", default: 3 } }, default: {} },
                names: { type: "array", items: { type: "string" } },
            },
        },
    },
    {
        name: "b",
        displayName: "",
        description: "",
        enforcementLevel: "advisory",
        configSchema: { properties: { id: { type: "string" } }, required: ["id"] },
    },
    { name: "c", displayName: "", description: "", enforcementLevel: "advisory" },
];

describe("engine: policy pack config like the Pulumi CLI", () => {
    const reconciler = new PolicyConfigReconciler(policies);

    it("layers defaults, the pack's initial config, then the user's, and leaves inputs untouched", () => {
        const user = { a: { limits: { max: 9 } }, b: { id: "x" } };
        const frozen = JSON.stringify(user);
        const effective = reconciler.reconcile(user, { a: { enforcementLevel: "advisory", mode: "slow" }, b: { id: "initial" } });
        assert.deepEqual(effective, {
            a: { enforcementLevel: "advisory", properties: { mode: "slow", limits: { max: 9 } } },
            b: { enforcementLevel: "advisory", properties: { id: "x" } },
            c: { enforcementLevel: "advisory", properties: {} },
        });
        assert.equal(JSON.stringify(user), frozen);
    });

    it("fills nested defaults inside an object default", () => {
        assert.deepEqual(reconciler.reconcile({ b: { id: "x" } }).a.properties, { mode: "fast", limits: { max: 3 } });
    });

    it("names a missing required key and values outside an enum", () => {
        assert.throws(
            () => reconciler.reconcile({}),
            (err: Error) => err instanceof PolicyConfigError && /for "b": "id" is required/.test(err.message),
        );
        assert.throws(
            () => reconciler.reconcile({ a: { mode: "medium" }, b: { id: "x" } }),
            /for "a": "mode" must be equal to one of the allowed values: "fast", "slow"/,
        );
        assert.throws(() => reconciler.reconcile({ a: { names: ["ok", 3] }, b: { id: "x" } }), /for "a": "names\.1" must be string/);
    });

    it('"all" sets every level and then per-policy levels win; a later layer\'s "all" overrides an earlier policy level', () => {
        const e = reconciler.reconcile({ all: "disabled", c: "mandatory", b: { id: "x" } }, { a: "mandatory" });
        assert.deepEqual([e.a.enforcementLevel, e.b.enforcementLevel, e.c.enforcementLevel], ["disabled", "disabled", "mandatory"]);
    });

    it("refuses a setting the schema does not declare, unless told to pass it like the Pulumi CLI", () => {
        assert.throws(
            () => reconciler.reconcile({ a: { mod: "slow" }, b: { id: "x" } }),
            (err: Error) =>
                err instanceof PolicyConfigError &&
                err.message ===
                    'invalid policy pack config for "a": "mod" is not a setting of this policy (its settings are mode, limits, names)',
        );
        assert.throws(
            () => reconciler.reconcile({ b: { id: "x", extra: 1, more: 2 } }),
            /"b": "extra", "more" are not settings of this policy/,
        );
        assert.deepEqual(reconciler.reconcile({ a: { mod: "slow" }, b: { id: "x" } }, {}, { unknownSettings: "pass" }).a.properties, {
            mod: "slow",
            mode: "fast",
            limits: { max: 3 },
        });
        // A policy without a schema takes any setting, as with the Pulumi CLI.
        assert.deepEqual(reconciler.reconcile({ b: { id: "x" }, c: { anything: true } }).c.properties, { anything: true });
    });

    it("rejects a config that is not an object of policies", () => {
        assert.throws(() => reconciler.reconcile([] as never), /must be an object keyed by policy name/);
        assert.throws(() => reconciler.reconcile({ a: { enforcementLevel: 1 } } as never), /"a": enforcementLevel 1 is not one of/);
    });
});
