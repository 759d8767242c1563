/**
 * The offline preview at scale: records stream from the program runner as they are registered and are
 * analyzed while the program runs (as under the engine), and Pulumi's per-promise leak bookkeeping, which
 * dominated time and memory on large programs, is skipped. Speed and memory figures live in the bench.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Diagnostic, PackClient, ResourceInput } from "../../src/engine";
import { startEvaluation, type PendingPack } from "../../src/cli/preview/evaluate";
import { programEntry, readProject } from "../../src/cli/preview/project";
import { skipPromiseLeakTracking } from "../../src/cli/preview/promise-tracking";
import type { ResourceRecord } from "../../src/cli/preview/records";
import { runProgram } from "../../src/cli/preview/run-program";
import { UserError } from "../../src/cli/errors";
import { REPO_ROOT, fixture } from "./preview-helpers";

describe("preview at scale: streaming and the runtime's bookkeeping", function () {
    this.timeout(120_000);

    it("hands each record over while the program is still running", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-stream-"));
        const release = path.join(dir, "release");
        const saved = process.env.ROOTGUARD_TEST_RELEASE;
        process.env.ROOTGUARD_TEST_RELEASE = release;
        try {
            const project = readProject(fixture("streaming"));
            const seen: string[] = [];
            const records = await runProgram(
                {
                    programPath: programEntry(project),
                    programDir: project.dir,
                    project: project.name,
                    stack: "test",
                    config: {},
                    secretKeys: [],
                    rootguardRoot: REPO_ROOT,
                    region: "us-east-1",
                },
                (record: ResourceRecord) => {
                    seen.push(record.name);
                    // The program waits for this file: it exists only if records arrive before the end.
                    if (record.name === "first") fs.writeFileSync(release, "");
                },
            );
            assert.deepEqual(seen, ["streaming-test", "first", "second"]);
            assert.deepEqual(
                records.map((r) => [r.name, r.inputs.size]),
                [
                    ["streaming-test", undefined],
                    ["first", 1],
                    ["second", 2],
                ],
            );
        } finally {
            if (saved === undefined) delete process.env.ROOTGUARD_TEST_RELEASE;
            else process.env.ROOTGUARD_TEST_RELEASE = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("skips the leak bookkeeping unless PULUMI_DEBUG_PROMISE_LEAKS asks for it", () => {
        const original = (p: Promise<unknown>) => p.then((v) => v);
        const runtime = { debuggablePromise: original };
        skipPromiseLeakTracking(runtime, { PULUMI_DEBUG_PROMISE_LEAKS: "true" });
        assert.equal(runtime.debuggablePromise, original, "left alone for leak debugging");
        skipPromiseLeakTracking(runtime, {});
        const p = Promise.resolve(1);
        assert.equal(runtime.debuggablePromise(p), p, "the promise itself: no stack, no label, no extra chain");
    });
});

/** A pack client whose Analyze answers after a delay chosen per resource, so answers come back out of order. */
function fakePack(delays: Record<string, number>): { pack: PendingPack; maxInFlight: () => number; closed: () => boolean } {
    let inFlight = 0;
    let max = 0;
    let closed = false;
    const diagnostic = (urn: string): Diagnostic => ({
        policyName: `p-${urn}`,
        policyPackName: "fake",
        policyPackVersion: "1.0.0",
        description: "",
        message: urn,
        enforcementLevel: "advisory",
        urn,
    });
    const client: PackClient = {
        port: 0,
        info: async () => ({ name: "fake", displayName: "fake", version: "1.0.0", policies: [] }),
        configure: async () => ({}),
        configureStack: async () => undefined,
        analyze: async (r: ResourceInput) => {
            inFlight++;
            max = Math.max(max, inFlight);
            await new Promise((resolve) => setTimeout(resolve, delays[r.urn] ?? 1));
            inFlight--;
            return [diagnostic(r.urn)];
        },
        analyzeStack: async () => [],
        close: async () => {
            closed = true;
        },
    };
    const started = Promise.resolve(client);
    return {
        pack: {
            dir: "/fake",
            client: started,
            discard: async () => {
                await client.close();
            },
        },
        maxInFlight: () => max,
        closed: () => closed,
    };
}

describe("preview: the pack conversation fed while the program runs", () => {
    const resource = (urn: string): ResourceInput => ({ urn, type: "t:index:T", name: urn, properties: {} });

    it("keeps a bounded window in flight and reports diagnostics in the stack's order", async () => {
        const urns = Array.from({ length: 20 }, (_, i) => `u${i}`);
        // Early resources answer last.
        const fake = fakePack(Object.fromEntries(urns.map((u, i) => [u, 40 - 2 * i])));
        const evaluation = startEvaluation(fake.pack, { stack: "s", project: "p" }, undefined, 4);
        for (const u of urns) evaluation.analyze(resource(u));
        const verdict = await evaluation.finish(urns.map(resource));
        assert.deepEqual(
            verdict.diagnostics.map((d) => d.urn),
            urns,
        );
        assert.equal(evaluation.analyzed(), 20);
        assert.equal(fake.maxInFlight(), 4);
        assert.ok(fake.closed(), "the pack is closed after the verdict");
    });

    it("a failed Analyze fails the verdict with one line, and the pack is still closed", async () => {
        const fake = fakePack({});
        const broken = await fake.pack.client;
        if (broken instanceof Error) throw broken;
        broken.analyze = async () => {
            throw new Error("policy pack failed Analyze of u1: boom\nstack…");
        };
        const evaluation = startEvaluation(fake.pack, { stack: "s", project: "p" });
        evaluation.analyze(resource("u1"));
        await assert.rejects(
            evaluation.finish([resource("u1")]),
            (err: Error) => err instanceof UserError && err.message === "policy pack failed Analyze of u1: boom",
        );
        assert.ok(fake.closed());
    });
});
