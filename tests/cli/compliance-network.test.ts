/**
 * compliance against endpoints that misbehave, through the real SDK clients and the standard
 * AWS_ENDPOINT_URL_* variables: one that accepts connections and never answers, a proxy that answers with an
 * HTML error page, and a region name that is no region. Each ends in one line that says what and where, and
 * a silent endpoint is announced on stderr while the command waits. The built CLI against a silent endpoint is
 * in compliance-network.e2e.test.ts.
 */
import * as assert from "node:assert/strict";
import { defaultDeps, runCompliance } from "../../src/cli/compliance/command";
import { UserError } from "../../src/cli/errors";
import { Capture, rejection } from "./compliance-helpers";
import { proxyError, silentServer } from "./misbehaving-endpoints";

const AWS_ENV = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CONFIG_SERVICE", "AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_PROFILE"];

describe("compliance: endpoints that misbehave", function () {
    this.timeout(120_000);
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", ...AWS_ENV]) saved[k] = process.env[k];
        for (const k of AWS_ENV) delete process.env[k];
        process.env.AWS_ACCESS_KEY_ID = "test-access-key-id";
        process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
    });
    afterEach(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });
    const deps = () => ({ ...defaultDeps(), stdout: new Capture(), stderr: new Capture(), env: {}, now: () => new Date() });

    it("an endpoint that accepts and never answers: a notice while waiting, then one line, within the limits", async () => {
        const silent = await silentServer();
        try {
            process.env.AWS_ENDPOINT_URL = silent.url;
            const d = deps();
            const started = Date.now();
            const err = await rejection(runCompliance({ region: "eu-west-1", requestTimeout: 1, connectTimeout: 1 }, d));
            const took = Date.now() - started;
            assert.ok(err instanceof UserError, String(err));
            assert.match(err.message, new RegExp(`^AWS at ${silent.url} did not answer sts:GetCallerIdentity in eu-west-1 in time`));
            assert.match(err.message, /--request-timeout/);
            assert.match(d.stderr.text, new RegExp(`^rootguard: no answer yet from ${silent.url} to GetCallerIdentity after \\d+ s`));
            assert.ok(took < 30_000, `gave up after ${took} ms`);
            assert.ok(silent.connections() >= 1);
        } finally {
            await silent.close();
        }
    });

    it("--timeout bounds the whole read, whatever the per-request limits", async () => {
        const silent = await silentServer();
        try {
            process.env.AWS_ENDPOINT_URL = silent.url;
            const started = Date.now();
            const err = await rejection(runCompliance({ region: "eu-west-1", requestTimeout: 60, timeout: 2 }, deps()));
            assert.ok(err instanceof UserError, String(err));
            assert.equal(
                err.message,
                "stopped after 2 s (--timeout) while reading this account's rules: raise --timeout for a large organization",
            );
            assert.ok(Date.now() - started < 15_000);
        } finally {
            await silent.close();
        }
    });

    it("a proxy's HTTP error names the status and the endpoint, never 'Unknown'", async () => {
        for (const status of [404, 502]) {
            const proxy = await proxyError(status);
            try {
                process.env.AWS_ENDPOINT_URL = proxy.url;
                const err = await rejection(runCompliance({ region: "eu-west-1", requestTimeout: 5 }, deps()));
                assert.ok(err instanceof UserError, String(err));
                assert.match(
                    err.message,
                    new RegExp(`^${proxy.url} answered sts:GetCallerIdentity in eu-west-1 with HTTP ${status} and no AWS error`),
                );
                assert.doesNotMatch(err.message, /Unknown/);
            } finally {
                await proxy.close();
            }
        }
    });

    it("a region that is no region name is refused before any request", async () => {
        const err = await rejection(runCompliance({ region: "foo" }, deps()));
        assert.ok(err instanceof UserError);
        assert.equal(err.message, '--region "foo" is not an AWS region name (like us-east-1 or eu-west-1)');
        process.env.AWS_REGION = "Europe";
        const fromEnv = await rejection(runCompliance({}, deps()));
        assert.equal(
            fromEnv.message,
            'the region from AWS_REGION or the AWS profile "Europe" is not an AWS region name (like us-east-1 or eu-west-1)',
        );
    });
});
