/**
 * The built CLI's compliance command against an endpoint that accepts connections and never answers: a notice
 * while it waits, then one line and exit 2, with the limits given on the command line.
 */
import * as assert from "node:assert/strict";
import { ensureBuilt } from "../build";
import { silentServer } from "./misbehaving-endpoints";
import { cleanEnv, runCli } from "./preview-helpers";

describe("compliance CLI: a silent endpoint", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("says it is waiting, then exits 2 with one line, with the limits given on the command line", async () => {
        const silent = await silentServer();
        try {
            const env = cleanEnv({
                AWS_ENDPOINT_URL: silent.url,
                AWS_ACCESS_KEY_ID: "test-access-key-id",
                AWS_SECRET_ACCESS_KEY: "test-secret",
            });
            const r = await runCli(["compliance", "--region", "eu-west-1", "--connect-timeout", "1", "--request-timeout", "2"], { env });
            assert.equal(r.code, 2, r.stderr);
            const lines = r.stderr.trim().split("\n");
            assert.match(lines[0], /^rootguard: no answer yet from http:\/\/127\.0\.0\.1:\d+ to GetCallerIdentity after 1 s/);
            assert.match(
                lines[lines.length - 1],
                /^rootguard: AWS at http:\/\/127\.0\.0\.1:\d+ did not answer sts:GetCallerIdentity in eu-west-1 in time/,
            );
            const bad = await runCli(["compliance", "--request-timeout", "soon"], { env });
            assert.equal(bad.code, 2);
            assert.match(
                bad.stderr,
                /^rootguard: option '--request-timeout <seconds>' argument 'soon' is invalid\. expected a number of seconds\n$/,
            );
        } finally {
            await silent.close();
        }
    });
});
