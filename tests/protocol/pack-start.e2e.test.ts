/**
 * Starting and stopping a pack: the failure modes the engine client must turn into one actionable line,
 * and the guarantee that no pack process outlives its client.
 */
import * as assert from "node:assert/strict";
import { startPack, type PackClient } from "../../src/engine";
import { TRIVIAL_PACK, fakeKeyId, fakeSecret, isRunning, tempPack } from "./helpers";

const POLICY = `const { PolicyPack } = require("@pulumi/policy");`;

function pidOf(client: PackClient): number | undefined {
    // The client keeps its process private; the test reaches in only to prove close() really ends it.
    return (client as unknown as { pack: { child: { pid?: number } } }).pack.child.pid;
}

describe("protocol: starting packs", function () {
    this.timeout(60_000);

    it("close() kills the pack process, and a second close is harmless", async () => {
        const client = await startPack(TRIVIAL_PACK);
        const pid = pidOf(client);
        assert.ok(isRunning(pid));
        await client.close();
        assert.equal(isRunning(pid), false);
        await client.close();
        await assert.rejects(client.info(), /client is closed/);
    });

    it("a pack without its own install runs with rootguard's run-policy-pack", async () => {
        // The temp dir is outside the repository, so only the fallback can find run-policy-pack; the pack
        // itself needs no @pulumi/policy because it only has to report why it cannot serve.
        const dir = tempPack(`console.error("Error: no policies here"); process.exit(3);`);
        await assert.rejects(startPack(dir), (err: Error) => {
            assert.match(err.message, /exited with code 3 before printing its port: Error: no policies here$/);
            return true;
        });
    });

    it("reports what a pack printed before its port", async () => {
        const dir = tempPack(`console.log("loading policies..."); setInterval(() => {}, 1000);`);
        await assert.rejects(startPack(dir), /printed "loading policies\.\.\." before its port/);
    });

    it("names the module a pack cannot load, with a one-line error", async () => {
        const dir = tempPack(`${POLICY}\n`);
        await assert.rejects(startPack(dir), (err: Error) => {
            assert.match(err.message, /exited with code \d+ before printing its port: .*Cannot find module '@pulumi\/policy'/);
            assert.doesNotMatch(err.message, /\n/);
            return true;
        });
    });

    it("gives up after the start time limit and kills the pack", async () => {
        const dir = tempPack(`setInterval(() => {}, 1000);`);
        const started = Date.now();
        await assert.rejects(startPack(dir, { startTimeoutMs: 1500 }), /did not print its port within 1500 ms/);
        assert.ok(Date.now() - started < 20_000);
    });

    it("never echoes a credential the pack printed", async () => {
        const key = fakeKeyId(1);
        const secret = fakeSecret(1);
        const dir = tempPack(`console.error("bad config: key ${key} secret ${secret}"); process.exit(1);`);
        await assert.rejects(startPack(dir), (err: Error) => {
            assert.ok(err.message.includes(`${key.slice(0, 4)}****${key.slice(-4)}`), err.message);
            assert.ok(!err.message.includes(key) && !err.message.includes(secret), err.message);
            return true;
        });
        const noisy = tempPack(`console.log("${key}"); setInterval(() => {}, 1000);`);
        await assert.rejects(startPack(noisy), (err: Error) => !err.message.includes(key));
    });

    it("refuses a directory that is not a pack", async () => {
        await assert.rejects(startPack("/nonexistent/rootguard-pack"), /is not a policy pack: it has no package\.json/);
    });

    it("turns a policy that throws into one line naming the policy, redacted", async () => {
        const key = fakeKeyId(2);
        const dir = tempPack(
            `${POLICY}
new PolicyPack("throws", { policies: [{ name: "boom", description: "d", enforcementLevel: "mandatory",
  validateResource: (args) => { throw new Error("cannot parse " + args.props.key); } }] });`,
        );
        // Outside the repo the pack cannot resolve @pulumi/policy; point it at rootguard's.
        const client = await startPack(dir, { env: { ...process.env, NODE_PATH: `${__dirname}/../../node_modules` } });
        try {
            await assert.rejects(client.analyze({ urn: "urn:x", type: "t:m:T", name: "x", properties: { key } }), (err: Error) => {
                assert.match(
                    err.message,
                    /^policy pack failed Analyze of urn:x: Error validating resource with policy 'boom'.* Error: cannot parse AKIA\*\*\*\*/,
                );
                assert.ok(!err.message.includes(key));
                assert.doesNotMatch(err.message, /\n/);
                return true;
            });
        } finally {
            await client.close();
        }
    });

    it("says the pack died, with its last words, when it exits mid-call", async () => {
        const dir = tempPack(
            `${POLICY}
new PolicyPack("dies", { policies: [{ name: "exit", description: "d", enforcementLevel: "mandatory",
  validateResource: () => { console.error("fatal: out of patience"); process.exit(9); } }] });`,
        );
        const client = await startPack(dir, { env: { ...process.env, NODE_PATH: `${__dirname}/../../node_modules` } });
        try {
            await assert.rejects(
                client.analyze({ urn: "urn:y", type: "t:m:T", name: "y", properties: {} }),
                /policy pack exited with code 9 during Analyze of urn:y: fatal: out of patience/,
            );
        } finally {
            await client.close();
        }
    });
});
