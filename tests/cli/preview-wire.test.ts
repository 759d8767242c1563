/*
 * What reaches a policy pack, compared with what the engine sends (issue 16 items 1, 6, 8, 11). The engine's rules
 * come from pulumi/pulumi's Go source: MarshalPropertyValue in sdk/go/common/resource/plugin/rpc.go (and the cases
 * of its TestResourceReference in rpc_test.go), the analyzer's MarshalOptions in analyzer_plugin.go, asset hashing
 * on registration in pkg/resource/deploy/source_eval.go, URNs in deployment.go, default providers in
 * default_providers.go. In process; a fixture program through a pack is preview-wire.e2e.test.ts.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ARCHIVE_SIG, ASSET_SIG, SPECIAL_SIG_KEY, UNKNOWN, wrapSecret } from "../../src/core/pulumi-values";
import { OUTPUT_VALUE_SIG, RESOURCE_REFERENCE_SIG, toAnalyzerProperties, toAnalyzerValue } from "../../src/cli/preview/analyzer-properties";
import { withAssetHashes } from "../../src/engine/assets";
import { withDefaultProviders } from "../../src/cli/preview/default-providers";
import type { ResourceRecord } from "../../src/cli/preview/records";
import type { StackConfig } from "../../src/cli/preview/stack-config";

const ref = (fields: Record<string, unknown>) => ({ [SPECIAL_SIG_KEY]: RESOURCE_REFERENCE_SIG, ...fields });
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("preview: properties as the engine marshals them for analyzers", () => {
    it("sends a custom resource reference as its ID and a component reference as its URN (rpc_test.go TestResourceReference)", () => {
        assert.equal(toAnalyzerValue(ref({ urn: "fakeURN", id: "fakeID", packageVersion: "fakeVersion" })), "fakeID");
        assert.equal(toAnalyzerValue(ref({ urn: "fakeURN", packageVersion: "fakeVersion" })), "fakeURN");
    });

    it("sends a reference whose ID is not known yet as the unknown string", () => {
        assert.equal(toAnalyzerValue(ref({ urn: "u", id: "" })), UNKNOWN);
        assert.equal(toAnalyzerValue(ref({ urn: "u", id: UNKNOWN })), UNKNOWN);
    });

    it("converts references wherever they sit: arrays, objects, secrets", () => {
        const props = {
            roles: [ref({ urn: "a", id: "r1" })],
            nested: { parent: ref({ urn: "c" }) },
            hidden: wrapSecret(ref({ urn: "s", id: "sid" })),
        };
        assert.deepEqual(toAnalyzerProperties(props), { roles: ["r1"], nested: { parent: "c" }, hidden: wrapSecret("sid") });
    });

    it("turns output values into plain, secret or unknown values (KeepOutputValues is off)", () => {
        assert.equal(toAnalyzerValue({ [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG, value: "v", dependencies: ["u"] }), "v");
        assert.deepEqual(toAnalyzerValue({ [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG, value: "v", secret: true }), wrapSecret("v"));
        assert.equal(toAnalyzerValue({ [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG }), UNKNOWN);
    });

    it("keeps assets and archives with only the engine's fields (Serialize), and drops top-level internal keys only", () => {
        const asset = { [SPECIAL_SIG_KEY]: ASSET_SIG, __pulumiAsset: true, text: "x", hash: "h" };
        const archive = { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, __pulumiArchive: true, assets: { "a.js": asset } };
        assert.deepEqual(toAnalyzerProperties({ code: archive, __defaults: [], tags: { __keep: "1" } }), {
            code: { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, assets: { "a.js": { [SPECIAL_SIG_KEY]: ASSET_SIG, hash: "h", text: "x" } } },
            tags: { __keep: "1" },
        });
    });

    it("hashes assets and file archives on registration as the engine does (sha256 of contents), relative to the program", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-assets-"));
        try {
            fs.writeFileSync(path.join(dir, "a.txt"), "file contents");
            fs.writeFileSync(path.join(dir, "bundle.zip"), Buffer.from([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]));
            const props = withAssetHashes(
                {
                    text: { [SPECIAL_SIG_KEY]: ASSET_SIG, text: "hello" },
                    file: { [SPECIAL_SIG_KEY]: ASSET_SIG, path: "a.txt" },
                    zip: { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, path: "bundle.zip" },
                    folder: { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, path: "." },
                    kept: { [SPECIAL_SIG_KEY]: ASSET_SIG, text: "t", hash: "given" },
                },
                dir,
            );
            assert.equal((props.text as { hash: string }).hash, sha256("hello"));
            assert.equal((props.file as { hash: string }).hash, sha256("file contents"));
            assert.equal((props.zip as { hash: string }).hash, sha256(fs.readFileSync(path.join(dir, "bundle.zip"))));
            assert.equal((props.folder as { hash?: string }).hash, undefined, "a folder's hash needs Go's tar stream: not reproduced");
            assert.equal((props.kept as { hash: string }).hash, "given");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("preview: default providers for remote components", () => {
    const config: StackConfig = {
        stack: "dev",
        values: new Map([["aws:accessKey", { text: "AKIAEXAMPLE", secret: false, unknown: false, object: false }]]),
        environments: [],
    };
    const component = (over: Partial<ResourceRecord>): ResourceRecord => ({
        urn: "urn:pulumi:dev::p::awsx:ec2:Vpc::vpc",
        type: "awsx:ec2:Vpc",
        name: "vpc",
        custom: false,
        remote: true,
        dependencies: [],
        inputs: {},
        outputs: {},
        ...over,
    });

    it("gives a remote component its package's default provider and the aws one its children use", () => {
        const out = withDefaultProviders([component({ version: "3.0.0" })], config, "p");
        assert.deepEqual(
            out.map((r) => r.urn),
            [
                "urn:pulumi:dev::p::pulumi:providers:awsx::default_3_0_0",
                "urn:pulumi:dev::p::awsx:ec2:Vpc::vpc",
                "urn:pulumi:dev::p::pulumi:providers:aws::default",
            ],
        );
        assert.deepEqual(out[2].inputs, { accessKey: "AKIAEXAMPLE" });
        assert.equal(out[1].providerRef, `${out[0].urn}::${out[0].id}`);
    });

    it("creates no aws default provider when the component hands its children an explicit one", () => {
        const out = withDefaultProviders(
            [component({ providers: { aws: "urn:pulumi:dev::p::pulumi:providers:aws::mine::id" } })],
            config,
            "p",
        );
        assert.deepEqual(
            out.map((r) => r.type),
            ["pulumi:providers:awsx", "awsx:ec2:Vpc"],
        );
    });
});
