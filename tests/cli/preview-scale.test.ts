/**
 * What keeps the offline preview and `analyze` linear at thousands of resources: the runner skips Pulumi's
 * per-promise leak bookkeeping, and the pack conversation keeps a few Analyze calls in flight while the
 * verdict keeps the stack's order. Speed and memory figures live in the bench (docs/benchmarks.md); that the
 * program runner skips the bookkeeping is in preview-scale.e2e.test.ts.
 */
import { strict as assert } from "node:assert";
import type { Diagnostic, PackClient, ResourceInput } from "../../src/engine";
import { UserError } from "../../src/cli/errors";
import { ANALYZE_WINDOW, evaluate, type PendingPack } from "../../src/cli/preview/evaluate";
import { skipPromiseLeakTracking } from "../../src/cli/preview/promise-tracking";

describe("preview at scale: Pulumi's promise leak bookkeeping", () => {
    it("is skipped unless PULUMI_DEBUG_PROMISE_LEAKS asks for it", () => {
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
function fakePack(delays: Record<string, number>): {
    pack: PendingPack;
    client: PackClient;
    maxInFlight: () => number;
    closed: () => boolean;
} {
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
    return {
        pack: { dir: "/fake", client: Promise.resolve(client), discard: () => client.close() },
        client,
        maxInFlight: () => max,
        closed: () => closed,
    };
}

describe("preview: the pack conversation", () => {
    const resource = (urn: string): ResourceInput => ({ urn, type: "t:index:T", name: urn, properties: {} });

    it("keeps a bounded window of Analyze calls in flight and reports diagnostics in the stack's order", async () => {
        const urns = Array.from({ length: 40 }, (_, i) => `u${i}`);
        // Early resources answer last.
        const fake = fakePack(Object.fromEntries(urns.map((u, i) => [u, 80 - 2 * i])));
        const verdict = await evaluate(fake.pack, { stack: "s", project: "p" }, { analyze: urns.map(resource), stack: [] });
        assert.deepEqual(
            verdict.diagnostics.map((d) => d.urn),
            urns,
        );
        assert.equal(fake.maxInFlight(), ANALYZE_WINDOW);
        assert.ok(fake.closed(), "the pack is closed after the verdict");
    });

    it("a failed Analyze fails the verdict with one line, and the pack is still closed", async () => {
        const fake = fakePack({});
        fake.client.analyze = async () => {
            throw new Error("policy pack failed Analyze of u1: boom\nstack…");
        };
        await assert.rejects(
            evaluate(fake.pack, { stack: "s", project: "p" }, { analyze: [resource("u1")], stack: [] }),
            (err: Error) => err instanceof UserError && err.message === "policy pack failed Analyze of u1: boom",
        );
        assert.ok(fake.closed());
    });
});
