/**
 * The esbuild bundle is what Lambda runs: it must load in a bare node process and work end to end
 * (settings from env, clients, Powertools logs, AssumeRoot → delete → verify) against the loopback.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import { writeBundle } from "./measure-bundle";
import { KEY_ONE, MEMBER } from "./helpers";
import { startLoopback, type Loopback } from "./loopback";

const run = promisify(execFile);

describe("remediator esbuild bundle", () => {
    let lb: Loopback;
    before(async () => {
        lb = await startLoopback();
    });
    after(async () => lb.close());

    it("bundles handler.ts into one file that runs the SSM path in a fresh node process", async function () {
        this.timeout(120_000);
        // The stack's packaging (stacks/remediator-bundle.ts): the artifact Lambda runs.
        const bundle = writeBundle();
        after(() => bundle.cleanup());
        assert.ok(bundle.bytes > 0);
        assert.ok(!fs.readFileSync(bundle.file, "utf8").includes("esbuild"), "the bundler is not bundled");
        lb.keys.add(KEY_ONE);

        const script = `
            const { handler } = require(${JSON.stringify(bundle.file)});
            handler({ source: "rootguard.config-remediation", accountId: "${MEMBER}" },
                    { getRemainingTimeInMillis: () => 60000, invokedFunctionArn: "arn:aws:lambda:eu-west-1:999999999999:function:f" })
                .then((r) => console.log("RESULT:" + JSON.stringify(r)), (e) => { console.log("ERROR:" + e.message); process.exitCode = 1; });`;
        const { stdout } = await run(process.execPath, ["-e", script], {
            env: {
                PATH: process.env.PATH ?? "",
                AWS_REGION: "eu-west-1",
                AWS_ACCESS_KEY_ID: "AKIAZ7REMEDIATORROLE",
                AWS_SECRET_ACCESS_KEY: "remediator-role-secret-for-the-loopback-test",
                AWS_ENDPOINT_URL_STS: lb.url,
                AWS_ENDPOINT_URL_IAM: lb.url,
                ROOTGUARD_MODE: "organization",
                ROOTGUARD_ACTION: "delete-unused",
                ROOTGUARD_AGGREGATOR_NAME: "org",
            },
        });
        const resultLine = stdout.split("\n").find((l) => l.startsWith("RESULT:"));
        assert.ok(resultLine, stdout);
        const result = JSON.parse(resultLine.slice("RESULT:".length));
        assert.equal(result.kind, "config-remediation");
        assert.equal(result.accounts[0].status, "remediated");
        assert.deepEqual(
            lb.seen.map((s) => s.action),
            ["AssumeRoot", "ListAccessKeys", "GetAccessKeyLastUsed", "AssumeRoot", "DeleteAccessKey", "ListAccessKeys"],
        );
        assert.equal(lb.keys.size, 0);
        // Powertools JSON log lines from inside the bundle, masked.
        assert.ok(stdout.includes('"message":"root access key deleted"'));
        assert.equal(stdout.includes(KEY_ONE), false);
    });
});
