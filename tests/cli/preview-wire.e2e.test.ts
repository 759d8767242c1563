/*
 * What reaches a policy pack, compared with what the engine sends (issue 16 items 1, 6, 8, 11). The engine's rules
 * come from pulumi/pulumi's Go source: MarshalPropertyValue in sdk/go/common/resource/plugin/rpc.go (and the cases
 * of its TestResourceReference in rpc_test.go), the analyzer's MarshalOptions in analyzer_plugin.go, asset hashing
 * on registration in pkg/resource/deploy/source_eval.go, URNs in deployment.go, default providers in
 * default_providers.go. This file runs a fixture program and a pack (processes); the marshalling rules alone are
 * checked in process in preview-wire.test.ts.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { evaluate, openPack } from "../../src/cli/preview/evaluate";
import { preparePreview, recordPreview } from "../../src/cli/preview/preview-program";
import type { ResourceRecord } from "../../src/cli/preview/records";
import { packRequests } from "../../src/cli/preview/resources";
import { fixture } from "./preview-helpers";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("preview: a program's references, assets and nested URNs, end to end to a pack", function () {
    this.timeout(180_000);
    let records: ResourceRecord[];
    let received: Map<string, unknown>;

    before(async () => {
        const prepared = preparePreview(fixture("wire"));
        const pack = openPack(fixture("inspect-pack"));
        records = (await recordPreview(prepared)).records;
        const verdict = await evaluate(pack, { stack: prepared.stack, project: prepared.project.name }, packRequests(records));
        received = new Map(verdict.diagnostics.map((d) => [d.urn ?? "", JSON.parse(d.message.split("\n").pop() as string)]));
    });

    it("builds URNs with the whole parent type chain, as the engine and the SDK's createUrn do", () => {
        const deepest = records.find((r) => r.name === "outer-inner-attach");
        assert.equal(
            deepest?.urn,
            "urn:pulumi:test::wire-fixture::fixture:wire:Outer$fixture:wire:Inner$aws:iam/role:Role$aws:iam/rolePolicyAttachment:RolePolicyAttachment::outer-inner-attach",
        );
        const stack = records.find((r) => r.type === "pulumi:pulumi:Stack");
        const sdkUrns = stack?.outputs.sdkUrns as Record<string, string>;
        const byName = (name: string) => records.find((r) => r.name === name)?.urn;
        assert.deepEqual(sdkUrns, {
            outer: byName("outer"),
            inner: byName("outer-inner"),
            role: byName("outer-inner-role"),
            attach: byName("outer-inner-attach"),
        });
    });

    it("records a remote component as remote and gives it, and the aws children it would have, default providers", () => {
        const vpc = records.find((r) => r.type === "awsx:ec2:Vpc");
        assert.equal(vpc?.remote, true);
        assert.equal(
            vpc?.providerRef?.split("::").slice(0, -1).join("::"),
            "urn:pulumi:test::wire-fixture::pulumi:providers:awsx::default",
        );
        assert.ok(records.some((r) => r.urn === "urn:pulumi:test::wire-fixture::pulumi:providers:aws::default"));
    });

    it("hands the pack a resource passed as an input as its ID, and a component as its URN", () => {
        assert.deepEqual(received.get(records.find((r) => r.name === "outer-inner-attach")?.urn ?? ""), {
            policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
            role: "deep-role",
        });
        assert.deepEqual(received.get("urn:pulumi:test::wire-fixture::aws:s3/bucket:Bucket::tagged"), {
            bucket: "tagged-bucket",
            tags: { owner: "urn:pulumi:test::wire-fixture::fixture:wire:Outer::outer" },
        });
    });

    it("hands the pack assets and archives that the policy SDK turns into Pulumi asset objects, contents included", () => {
        assert.deepEqual(
            (received.get("urn:pulumi:test::wire-fixture::aws:lambda/function:Function::archived") as { code: unknown }).code,
            {
                archive: "AssetArchive",
                assets: {
                    "index.js": { asset: "StringAsset", text: "exports.handler = async () => 'ok';" },
                    "site.txt": { asset: "FileAsset", path: "site.txt" },
                },
            },
        );
        const fileObject = records.find((r) => r.name === "file-object");
        assert.equal((fileObject?.inputs.source as { hash: string }).hash, sha256(fs.readFileSync(fixture("wire/site.txt"))));
    });
});
