/**
 * src/engine/assets.ts against the other side of the wire: the policy SDK's own deserializer
 * (@pulumi/policy deserialize.js) must turn what we send into the asset objects a policy gets from the engine.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { assetArchive, fileAsset, remoteArchive, stringAsset, toStruct, toWireAssets } from "../../src/engine";
import { ASSET_SIG, SPECIAL_SIG_KEY } from "../../src/core/pulumi-values";

const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};

describe("engine: assets and archives on the wire", () => {
    it("marshals a string asset as the engine does: signature, SHA-256 of the text, text", () => {
        assert.deepEqual(stringAsset("hello"), {
            [SPECIAL_SIG_KEY]: ASSET_SIG,
            hash: createHash("sha256").update("hello").digest("hex"),
            text: "hello",
        });
    });

    it("arrives at a policy as @pulumi/pulumi asset objects, through the policy SDK's own deserializer", async () => {
        const props = deserializeProperties(
            toStruct({
                code: assetArchive({ "index.js": stringAsset("exports.handler = 1;"), "lib.js": fileAsset("/nonexistent/lib.js") }),
                bundle: remoteArchive("https://example.com/bundle.zip"),
            }),
            false,
        );
        assert.ok(pulumi.asset.AssetArchive.isInstance(props.code));
        const members = await (props.code as pulumi.asset.AssetArchive).assets;
        assert.ok(members["index.js"] instanceof pulumi.asset.StringAsset);
        assert.equal(await (members["index.js"] as pulumi.asset.StringAsset).text, "exports.handler = 1;");
        assert.ok(members["lib.js"] instanceof pulumi.asset.FileAsset);
        assert.ok(props.bundle instanceof pulumi.asset.RemoteArchive);
    });

    it("converts a program's asset objects into that wire form, leaving other values as they are", async () => {
        const wire = await toWireAssets({
            source: new pulumi.asset.StringAsset("key=value"),
            code: new pulumi.asset.AssetArchive({ "a.txt": new pulumi.asset.StringAsset("a"), nested: new pulumi.asset.AssetArchive({}) }),
            plain: { list: [1, "two", null] },
        });
        assert.deepEqual(wire, {
            source: stringAsset("key=value"),
            code: assetArchive({ "a.txt": stringAsset("a"), nested: assetArchive({}) }),
            plain: { list: [1, "two", null] },
        });
    });
});
