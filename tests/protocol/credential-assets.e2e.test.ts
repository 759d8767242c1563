/**
 * Assets and archives reach a pack as the engine marshals them (src/engine/assets.ts, after pulumi/pulumi's
 * analyzer_plugin.go and asset.go), and the policy SDK hands them to policies as @pulumi/pulumi objects with
 * promised text. no-hardcoded-aws-credentials must read that text: a Lambda's inline code archive, an S3
 * object's source, the archive a callback function's closure is serialized into.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { maskKeyId } from "../../src/core/access-keys";
import {
    assetArchive,
    fileArchive,
    fileAsset,
    remoteAsset,
    startPack,
    stringAsset,
    type Diagnostic,
    type PackClient,
} from "../../src/engine";
import { ensureBuilt } from "../build";
import { REPO_ROOT, fakeKeyId, fakeSecret, isolatedAwsEnv, secretFragments } from "./helpers";

const POLICY = "no-hardcoded-aws-credentials";
const key = fakeKeyId(31);
const secret = fakeSecret(31);

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::assets-test::${type}::${name}`;
}

function mandatory(ds: Diagnostic[]): Diagnostic[] {
    return ds.filter((d) => d.policyName === POLICY && d.enforcementLevel === "mandatory");
}

function assertNoLeak(ds: Diagnostic[]): void {
    for (const d of ds) {
        assert.ok(!d.message.includes(key), d.message);
        for (const f of secretFragments(secret)) assert.ok(!d.message.includes(f), d.message);
    }
}

describe("protocol: credentials in assets and archives", function () {
    this.timeout(120_000);
    let pack: PackClient;
    let dir: string;

    before(async () => {
        ensureBuilt();
        pack = await startPack(REPO_ROOT, { env: isolatedAwsEnv() });
        await pack.configure({ "no-root-credentials": { verifyCallerIdentity: false } });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-assets-"));
    });
    after(async () => {
        await pack?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("finds a key ID and labelled secret in a Lambda's inline AssetArchive of StringAssets", async () => {
        const code = assetArchive({
            "index.js": stringAsset(
                `const accessKeyId = "${key}";\nconst secretAccessKey = "${secret}";\nexports.handler = async () => ({});\n`,
            ),
            "package.json": stringAsset('{"name":"fn"}'),
        });
        const ds = await pack.analyze({
            urn: urn("aws:lambda/function:Function", "inline"),
            type: "aws:lambda/function:Function",
            name: "inline",
            properties: { code, handler: "index.handler", runtime: "nodejs20.x", role: "arn:aws:iam::111122223333:role/fn" },
        });
        const found = mandatory(ds);
        assert.equal(found.length, 1, JSON.stringify(ds));
        assert.ok(found[0].message.includes(maskKeyId(key)), found[0].message);
        assert.match(found[0].message, /code\["index\.js"\]/);
        assert.match(found[0].message, /a secret access key at code\["index\.js"\]/);
        assertNoLeak(ds);
    });

    it("finds credentials in an S3 object's source asset, and in a callback function's serialized closure", async () => {
        const object = await pack.analyze({
            urn: urn("aws:s3/bucketObject:BucketObject", "config"),
            type: "aws:s3/bucketObject:BucketObject",
            name: "config",
            properties: {
                bucket: "configs",
                key: "app.ini",
                source: stringAsset(`[default]\naws_access_key_id = ${key}\naws_secret_access_key = ${secret}\n`),
            },
        });
        assert.equal(mandatory(object).length, 1, JSON.stringify(object));
        assert.match(mandatory(object)[0].message, /at source/);
        // What @pulumi/aws's CallbackFunction registers: the closure serialized into __index.js, config captured as literals.
        const closure = `exports.handler = __f0;\nvar __config = {"accessKey":"${key}","secretKey":"${secret}"};\nfunction __f0() { return (function() { with({ config: __config }) { return async (e) => e; } }).apply(undefined, undefined).apply(this, arguments); }\n`;
        const callback = await pack.analyze({
            urn: urn("aws:lambda/function:Function", "callback"),
            type: "aws:lambda/function:Function",
            name: "callback",
            properties: { code: assetArchive({ "__index.js": stringAsset(closure) }), handler: "__index.handler", runtime: "nodejs20.x" },
        });
        const found = mandatory(callback);
        assert.equal(found.length, 1, JSON.stringify(callback));
        assert.match(found[0].message, /code\["__index\.js"\]/);
        assertNoLeak([...object, ...callback]);
    });

    it("cannot see inside file and remote assets: the engine sends only their path or URI (documented)", async () => {
        const file = path.join(dir, "handler.js");
        fs.writeFileSync(file, `const k = "${key}";\n`);
        const ds = await pack.analyze({
            urn: urn("aws:lambda/function:Function", "files"),
            type: "aws:lambda/function:Function",
            name: "files",
            properties: {
                code: assetArchive({
                    "handler.js": fileAsset(file),
                    lib: fileArchive(dir),
                    remote: remoteAsset("https://example.com/x.js"),
                }),
            },
        });
        assert.deepEqual(mandatory(ds), []);
    });

    it("passes clean code archives", async () => {
        const ds = await pack.analyze({
            urn: urn("aws:lambda/function:Function", "clean"),
            type: "aws:lambda/function:Function",
            name: "clean",
            properties: { code: assetArchive({ "index.js": stringAsset("exports.handler = async () => ({ statusCode: 200 });\n") }) },
        });
        assert.deepEqual(mandatory(ds), []);
    });
});
