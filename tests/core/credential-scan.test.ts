import { strict as assert } from "node:assert";
import { gzipSync } from "node:zlib";
import { scanForCredentials } from "../../src/core/credential-scan";
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SPECIAL_SIG_KEY, resolvePulumiAssets } from "../../src/core/pulumi-values";
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

describe("credential scan: what issue 17 found", () => {
    const KEY = KEY_ID;
    const LOOK_ALIKE = "AKIA1234567890ABCDEF".replace("ABCDEF", "QXZRTW"); // digits 0, 1, 8, 9: never a real key ID
    const kinds = (value: unknown) => scanForCredentials(value).map((f) => `${f.kind}${f.example ? "(example)" : ""}@${f.path}`);

    it("never takes placeholders for credentials, nor decodes an account for them", () => {
        for (const secret of [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSAMPLEKEY",
            "Hx4pLq7Wm2Zt9Rv3Nb6Yc8Kd1Fg5Js0AbTESTKEY",
            "Er7Ty5Ui3Op1As2Df4Gh6Jk8Lz0XcVbNqFAKEKEY",
            "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXKEY",
        ]) {
            assert.equal(secret.length, 40, secret);
            assert.deepEqual(kinds({ aws_secret_access_key: secret, id: KEY }), ["access-key-id@id"], secret);
        }
        for (const id of [
            "AKIAXXXXXXXXXXXXXXXX",
            "AKIAZZZZZZZZZZZZZZZZ",
            "ASIAAAAAAAAAAAAAAAAA",
            "AKIADEADBEEFDEADBEEF",
            "AKIATESTTESTTESTTEST",
        ]) {
            assert.deepEqual(kinds({ id }), [], id);
        }
        const [doc] = scanForCredentials({ id: "AKIAIOSFODNN7EXAMPLE" });
        assert.equal(doc.example, true);
        assert.equal(doc.kind === "access-key-id" && doc.accountId, undefined);
    });

    it("pairs a secret with a key ID only nearby: a key ID kilobytes away is unrelated", () => {
        const filler = Array.from({ length: 80 }, (_, i) => `echo step ${i}`).join("\n");
        assert.deepEqual(kinds({ script: `# key ${KEY}\n${filler}\nBUILD=${SECRET}\n` }), ["access-key-id@script"]);
        assert.deepEqual(kinds({ script: `# doc AKIAIOSFODNN7EXAMPLE\n${filler}\nBUILD=${SECRET}\n` }), ["access-key-id(example)@script"]);
        assert.deepEqual(kinds({ script: `${KEY}:${SECRET}` }), ["access-key-id@script", "secret-access-key@script"]);
    });

    it("takes a weak label beside a key-ID look-alike as a secret; the look-alike itself is never a finding", () => {
        assert.deepEqual(kinds({ doc: `access: ${LOOK_ALIKE}\nsecret: ${SECRET}\n` }), ["secret-access-key@doc<yaml>.secret"]);
        assert.deepEqual(kinds({ doc: `aws_key = ${SECRET}` }), ["secret-access-key@doc"]);
        assert.deepEqual(kinds({ doc: `access: ${LOOK_ALIKE}` }), []);
        assert.deepEqual(kinds({ doc: `secret: ${SECRET}` }), [], "a weak label alone is not enough");
    });

    it("reads labels as YAML writes them (block scalars, a parameter's Default) and never takes a session token's name for a secret key's", () => {
        assert.deepEqual(kinds({ doc: `creds:\n  secret_access_key: >-\n    ${SECRET}\n` }), [
            "secret-access-key@doc<yaml>.creds.secret_access_key",
        ]);
        assert.deepEqual(kinds({ doc: `Parameters:\n  SecretAccessKey:\n    Type: String\n    NoEcho: true\n    Default: ${SECRET}\n` }), [
            "secret-access-key@doc<yaml>.Parameters.SecretAccessKey.Default",
        ]);
        assert.deepEqual(kinds({ Parameters: { SecretAccessKey: { Type: "String", Default: SECRET } } }), [
            "secret-access-key@Parameters.SecretAccessKey.Default",
        ]);
        assert.deepEqual(kinds({ doc: `aws_session_token: ${SECRET}` }), []);
    });

    it("reads neighbouring array elements: SSM runCommand lines, ECS environment entries", () => {
        assert.deepEqual(kinds({ runCommand: [`aws configure set aws_access_key_id ${KEY}`, `echo ${SECRET} > /root/k`] }), [
            "access-key-id@runCommand[0]",
            "secret-access-key@runCommand[1]",
        ]);
        assert.deepEqual(
            kinds({
                environment: [
                    { name: "ID", value: LOOK_ALIKE },
                    { name: "SECRET", value: SECRET },
                ],
            }),
            ["secret-access-key@environment[1].value"],
        );
        assert.deepEqual(kinds({ args: ["--secret-access-key", SECRET] }), ["secret-access-key@args[1]"]);
    });

    it("finds a key ID used as a property name, masked in the path, and its value as the secret", () => {
        const found = scanForCredentials({ creds: { [KEY]: SECRET } });
        assert.deepEqual(
            found.map((f) => `${f.kind}@${f.path}`),
            ['access-key-id@creds["AKIA****JRUX"]', 'secret-access-key@creds["AKIA****JRUX"]'],
        );
        assert.ok(!JSON.stringify(found).includes(KEY));
    });

    it("decodes base64 → JSON → base64 (a JWT claim) without losing the secret; JSON does not count as a layer", () => {
        const claim = Buffer.from(JSON.stringify({ ctx: Buffer.from(`aws_secret_access_key=${SECRET}`).toString("base64") })).toString(
            "base64url",
        );
        const jwt = `eyJhbGciOiJIUzI1NiJ9.${claim}.c2ln`;
        assert.deepEqual(kinds({ userData: Buffer.from(`TOKEN=${jwt}\n`).toString("base64") }), [
            "secret-access-key@userData<base64><base64><json>.ctx<base64>",
        ]);
    });

    it("reads base64 wrapped over lines, as `base64` prints it, and JSON escapes that hide boundaries", () => {
        const script = `#!/bin/bash\n${"echo preparing the host for the application\n".repeat(6)}export AWS_ACCESS_KEY_ID=${KEY}\n`;
        const wrapped = Buffer.from(script)
            .toString("base64")
            .replace(/(.{76})/g, "$1\n");
        assert.deepEqual(kinds({ userData: wrapped }), ["access-key-id@userData<base64>"]);
        assert.deepEqual(kinds({ doc: JSON.stringify({ a: JSON.stringify({ b: `line\n${KEY}` }) }) }), [
            "access-key-id@doc<json>.a<json>.b",
        ]);
        assert.deepEqual(
            kinds({ doc: `{"k": "x\\/${SECRET.slice(0, 0)}", "aws_secret_access_key": "${SECRET.replace("/", "\\/")}"}` }).length,
            1,
        );
    });

    it("reads assets and archives: the wire form, and the policy SDK's objects once resolved", async () => {
        const wire = {
            code: {
                [SPECIAL_SIG_KEY]: ARCHIVE_SIG,
                assets: { "index.js": { [SPECIAL_SIG_KEY]: ASSET_SIG, hash: "0".repeat(64), text: `const id = "${KEY}";` } },
            },
        };
        assert.deepEqual(kinds(wire), ['access-key-id@code["index.js"]']);
        const sdk = { code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(`const id = "${KEY}";`) }) };
        assert.deepEqual(kinds(sdk), [], "unresolved, the text is a promise");
        const assets = await resolvePulumiAssets(sdk);
        assert.deepEqual(
            scanForCredentials(sdk, { assets }).map((f) => f.path),
            ['code["index.js"]'],
        );
        assert.equal((await resolvePulumiAssets({ f: new pulumi.asset.FileAsset("/etc/hostname") })).size, 0, "file contents are not read");
    });

    it("keeps the string's path for a document over 1 MB instead of parsing it", () => {
        const big = JSON.stringify({ filler: "x".repeat(1_100_000), leaky: { id: KEY } });
        assert.deepEqual(kinds({ templateBody: big }), ["access-key-id@templateBody"]);
        assert.deepEqual(kinds({ templateBody: JSON.stringify({ leaky: { id: KEY } }) }), ["access-key-id@templateBody<json>.leaky.id"]);
    });
});
