/**
 * Property-based checks: credentials planted at random paths in random property trees are found at
 * exactly that path; trees without credentials give no finding; and no input makes a policy throw or
 * print a secret.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { classifyKeyId, classifySecret } from "../../src/core/access-keys";
import { scanForCredentials } from "../../src/core/credential-scan";
import { assertNoSecretLeak, runEveryPolicy } from "../policies/helpers";

const NUM_RUNS = 200;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".split("");
const SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+".split("");

const keyIdArb = fc
    .tuple(fc.constantFrom("AKIA", "ASIA", "ABIA", "ACCA"), fc.string({ unit: fc.constantFrom(...BASE32), minLength: 16, maxLength: 16 }))
    .map(([p, body]) => p + body)
    // Shrinking heads for AAAA…, a placeholder; random IDs are credentials all but 1 in 10^4 (tested below).
    .filter((id) => classifyKeyId(id) === "credential");

const secretArb = fc
    .string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 40, maxLength: 40 })
    .filter((s) => classifySecret(s) === "secret");

// Plain identifiers keep expected paths in `a.b[0]` form; noise never looks like a credential.
const keyArb = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/).filter((k) => !/secret|key/i.test(k));
const noiseArb = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 12 }),
    fc.array(fc.integer(), { maxLength: 3 }),
);
type Segment = { key: string } | { index: number };
const segmentArb: fc.Arbitrary<Segment> = fc.oneof(
    keyArb.map((key) => ({ key })),
    fc.nat({ max: 3 }).map((index) => ({ index })),
);

const cleanTreeArb = fc.letrec((tie) => ({
    tree: fc.oneof(
        { depthSize: "small" },
        noiseArb,
        fc.array(tie("tree"), { maxLength: 4 }),
        fc.dictionary(keyArb, tie("tree"), { maxKeys: 4 }),
    ),
})).tree;

/** Wraps `leaf` in containers along `path`, with noise beside it. Returns the tree and the expected path. */
function plant(path: Segment[], leaf: unknown, noise: Record<string, unknown>): { tree: unknown; expected: string } {
    let value = leaf;
    for (let i = path.length - 1; i >= 0; i--) {
        const seg = path[i];
        if ("key" in seg) {
            const siblings = Object.fromEntries(Object.entries(noise).filter(([k]) => k !== seg.key));
            value = { ...siblings, [seg.key]: value };
        } else {
            const arr: unknown[] = Array.from({ length: seg.index }, (_, j) => j);
            arr.push(value);
            value = arr;
        }
    }
    let expected = "";
    for (const seg of path) expected = "key" in seg ? (expected === "" ? seg.key : `${expected}.${seg.key}`) : `${expected}[${seg.index}]`;
    return { tree: value, expected };
}

const noiseObjArb = fc.dictionary(keyArb, noiseArb, { maxKeys: 3 });

/** Uniform random strings over `alphabet`, from a seeded generator (mulberry32). */
function randomStrings(count: number, length: number, alphabet: string[], seed: number): string[] {
    let a = seed >>> 0;
    const rnd = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return Array.from({ length: count }, () => Array.from({ length }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(""));
}

describe("credential scan properties", () => {
    it("takes random key IDs and secret keys as real: placeholder and word rules reject under 1 in 1,000", () => {
        const ids = randomStrings(20_000, 16, BASE32, 1).map((b) => `AKIA${b}`);
        const secrets = randomStrings(20_000, 40, SECRET_CHARS, 2);
        const idMisses = ids.filter((id) => classifyKeyId(id) !== "credential").length;
        const secretMisses = secrets.filter((s) => classifySecret(s) !== "secret").length;
        assert.ok(idMisses <= 20, `${idMisses} of 20,000 random key IDs taken for placeholders`);
        assert.ok(secretMisses <= 20, `${secretMisses} of 20,000 random secret keys taken for placeholders or words`);
    });

    it("finds a planted key ID at its path, alone or inside text", () => {
        fc.assert(
            fc.property(fc.array(segmentArb, { maxLength: 6 }), keyIdArb, noiseObjArb, fc.boolean(), (path, id, noise, inText) => {
                const { tree, expected } = plant([{ key: "root" }, ...path], inText ? `before ${id} after` : id, noise);
                const found = scanForCredentials(tree);
                assert.equal(found.length, 1);
                assert.equal(found[0].kind, "access-key-id");
                assert.equal(found[0].path, expected);
                assertNoSecretLeak([JSON.stringify(found)], [], [id]);
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("finds a planted secret under a secret-looking name at its path, never keeping it", () => {
        fc.assert(
            fc.property(
                fc.array(segmentArb, { maxLength: 6 }),
                fc.constantFrom("secretKey", "AWS_SECRET_ACCESS_KEY", "secret_access_key", "awsSecret", "SecretAccessKey"),
                secretArb,
                noiseObjArb,
                (path, name, secret, noise) => {
                    const { tree, expected } = plant([{ key: "root" }, ...path, { key: name }], secret, noise);
                    const found = scanForCredentials(tree);
                    assert.equal(found.length, 1, JSON.stringify(found));
                    assert.equal(found[0].kind, "secret-access-key");
                    assert.equal(found[0].path, expected);
                    assertNoSecretLeak([JSON.stringify(found)], [secret]);
                },
            ),
            { numRuns: NUM_RUNS },
        );
    });

    it("finds nothing in trees without credentials", () => {
        fc.assert(
            fc.property(fc.oneof(cleanTreeArb, fc.jsonValue()), (tree) => {
                assert.deepEqual(scanForCredentials(tree), []);
                assert.deepEqual(scanForCredentials({ doc: JSON.stringify(tree) }), []);
            }),
            { numRuns: NUM_RUNS },
        );
    });
});

const TYPES = [
    "aws:lambda/function:Function",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:iam/accessKey:AccessKey",
    "aws-native:iam:Role",
    "aws:cfg/organizationManagedRule:OrganizationManagedRule",
    "aws-native:configuration:OrganizationConfigRule",
    "aws:organizations/policy:Policy",
    "pulumi:providers:aws",
];
const FIELD_NAMES = [
    "policy",
    "content",
    "user",
    "name",
    "source",
    "excludedAccounts",
    "accessKey",
    "secretKey",
    "profile",
    "environment",
    "policies",
    "value",
];

describe("policy properties", function () {
    this.timeout(120_000);

    it("no input makes a policy throw, report an internal error, or print a key ID or any part of a secret", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...TYPES),
                fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.anything({ maxDepth: 4 }), { maxKeys: 5 }),
                keyIdArb,
                secretArb,
                fc.constantFrom("none", "env", "json", "base64", "provider"),
                async (type, randomProps, id, secret, where) => {
                    const props: Record<string, unknown> = { ...randomProps };
                    const creds = { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret };
                    if (where === "env") props.environment = { variables: creds };
                    if (where === "json") props.policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:*" }], creds });
                    if (where === "base64")
                        props.userData = Buffer.from(`aws_access_key_id=${id}\naws_secret_access_key=${secret}`).toString("base64");
                    if (where === "provider") Object.assign(props, { accessKey: id, secretKey: secret });
                    const provider = { type: "pulumi:providers:aws", name: "p", props: { accessKey: id, secretKey: secret } };
                    const reports = await runEveryPolicy([{ type, props, raw: true, provider }], {
                        "no-root-credentials": { verifyCallerIdentity: false, rootAccessKeyIds: [id] },
                    });
                    const messages = reports.map((r) => r.message);
                    for (const m of messages) assert.doesNotMatch(m, /could not finish/, m);
                    assertNoSecretLeak(messages, [secret], [id]);
                },
            ),
            { numRuns: NUM_RUNS },
        );
    });
});
