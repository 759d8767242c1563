import { strict as assert } from "node:assert";
import { gzipSync } from "node:zlib";
import { scanForCredentials } from "../../src/core/credential-scan";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../src/core/pulumi-values";
import { KEY_ID, SECRET, TEMP_KEY_ID } from "../policies/fixtures";
import { UNKNOWN } from "../policies/helpers";

const SECRET_WRAPPER = { [SPECIAL_SIG_KEY]: SECRET_SIG };

function paths(value: unknown): string[] {
    return scanForCredentials(value).map((f) => `${f.kind}@${f.path}`);
}

describe("credential scan", () => {
    it("finds key IDs with a masked value, type and decoded account; never the full ID", () => {
        const [f] = scanForCredentials({ a: { b: [KEY_ID] } });
        assert.equal(f.kind, "access-key-id");
        assert.equal(f.path, "a.b[0]");
        if (f.kind !== "access-key-id") return;
        assert.equal(f.masked, "AKIA****JRUX");
        assert.equal(f.keyType, "long-term");
        assert.equal(f.accountId, "171436882533");
        assert.ok(!JSON.stringify(f).includes(KEY_ID));
    });

    it("finds secrets by name, by a key ID beside them, or by a label in text; not bare 40-char strings", () => {
        assert.deepEqual(paths({ secretKey: SECRET }), ["secret-access-key@secretKey"]);
        assert.deepEqual(paths({ id: TEMP_KEY_ID, other: SECRET }), ["access-key-id@id", "secret-access-key@other"]);
        assert.deepEqual(paths({ script: `aws_secret_access_key = ${SECRET}` }), ["secret-access-key@script"]);
        assert.deepEqual(paths({ random: SECRET }), []);
        assert.deepEqual(
            paths({ hash: "3f786850e387550fdab836ed7e6dc881de23001b", secret_key: "3f786850e387550fdab836ed7e6dc881de23001b" }),
            [],
        );
        assert.ok(!JSON.stringify(scanForCredentials({ secretKey: SECRET })).includes(SECRET.slice(0, 8)));
    });

    it("reads name/value pairs as ECS and CloudFormation write them", () => {
        assert.deepEqual(paths({ env: [{ name: "AWS_SECRET_ACCESS_KEY", value: SECRET }] }), ["secret-access-key@env[0].value"]);
        assert.deepEqual(paths({ p: [{ ParameterKey: "SecretAccessKey", ParameterValue: SECRET }] }), [
            "secret-access-key@p[0].ParameterValue",
        ]);
    });

    it("walks JSON, YAML, base64 and gzip inside strings", () => {
        assert.deepEqual(paths({ doc: JSON.stringify({ k: { id: KEY_ID } }) }), ["access-key-id@doc<json>.k.id"]);
        assert.deepEqual(paths({ doc: `creds:\n  aws_access_key_id: ${KEY_ID}\n` }), ["access-key-id@doc<yaml>.creds.aws_access_key_id"]);
        assert.deepEqual(paths({ u: Buffer.from(`export K=${KEY_ID}`).toString("base64") }), ["access-key-id@u<base64>"]);
        assert.deepEqual(paths({ u: gzipSync(`export K=${KEY_ID}`).toString("base64") }), ["access-key-id@u<gzip>"]);
    });

    it("ignores identifiers that are not credentials and unknowns; sees through secrets", () => {
        assert.deepEqual(paths({ a: "AIDASP2TPHJSQH3FJRUX", b: "AROASP2TPHJSQH3FJRUX", c: UNKNOWN }), []);
        assert.deepEqual(paths({ s: { ...SECRET_WRAPPER, value: KEY_ID } }), ["access-key-id@s"]);
        assert.deepEqual(paths({ s: { ...SECRET_WRAPPER, ciphertext: "x" } }), []);
    });

    it("flags documentation examples as examples", () => {
        const found = scanForCredentials({ id: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
        assert.equal(found.length, 2);
        assert.ok(found.every((f) => f.example));
    });

    it("survives cycles, 200-level nests, odd values, invalid encodings and 10 MB strings", () => {
        const cyclic: Record<string, unknown> = { id: KEY_ID };
        cyclic.self = cyclic;
        assert.deepEqual(paths(cyclic), ["access-key-id@id"]);
        let deep: unknown = { id: KEY_ID };
        for (let i = 0; i < 200; i++) deep = { n: deep };
        assert.equal(scanForCredentials(deep).length, 1);
        for (const odd of [
            null,
            undefined,
            1,
            true,
            Symbol("s"),
            () => 1,
            new Map(),
            new Uint8Array(4),
            "{bad json",
            "a: [\n:",
            "QUtJQV!!",
        ]) {
            assert.deepEqual(scanForCredentials(odd), []);
        }
        const big = `${"A".repeat(10 * 1024 * 1024)} ${KEY_ID}`;
        assert.deepEqual(paths({ big }), ["access-key-id@big"]);
    });

    it("reports a key 20,000 levels deep with its whole path (no stack overflow loses it)", () => {
        let deep: unknown = { id: KEY_ID };
        for (let i = 0; i < 20_000; i++) deep = { n: deep };
        const found = scanForCredentials(deep);
        assert.equal(found.length, 1);
        assert.equal(found[0].path, `${"n.".repeat(20_000)}id`);
    });

    it("survives a throwing getter", () => {
        const hostile = Object.defineProperty({ id: KEY_ID }, "bad", {
            enumerable: true,
            get() {
                throw new Error("no");
            },
        });
        assert.deepEqual(paths(hostile), ["access-key-id@id"]);
    });

    it("caps the number of findings", () => {
        const many = Array.from({ length: 100 }, () => KEY_ID);
        assert.equal(scanForCredentials(many).length, 50);
        assert.equal(scanForCredentials(many, { maxFindings: 3 }).length, 3);
    });
});
