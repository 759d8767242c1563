import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig, DeadlineError, withDeadline } from "../../src/aws/client-config";
import { awsFailureKind, errorCode } from "../../src/aws/errors";

function sdkError(name: string, status?: number, message = "m"): Error {
    return Object.assign(new Error(message), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });
}

describe("aws edges: error kinds", () => {
    it("classifies by code and status, the way a person would fix them", () => {
        assert.equal(awsFailureKind(sdkError("CredentialsProviderError")), "no-credentials");
        assert.equal(awsFailureKind(new Error("Region is missing")), "no-region");
        assert.equal(awsFailureKind(sdkError("ExpiredToken", 403)), "rejected-credentials");
        assert.equal(awsFailureKind(sdkError("AccessDeniedException", 400)), "access-denied");
        assert.equal(awsFailureKind(sdkError("SomethingNew", 403)), "access-denied");
        assert.equal(awsFailureKind(sdkError("Throttling", 400)), "throttled");
        assert.equal(awsFailureKind(sdkError("Whatever", 429)), "throttled");
        assert.equal(awsFailureKind(sdkError("TimeoutError")), "timeout");
        assert.equal(awsFailureKind(sdkError("ECONNREFUSED")), "unreachable");
        assert.equal(awsFailureKind(sdkError("NoSuchEntity", 404)), "not-found");
        assert.equal(awsFailureKind(sdkError("NoSuchConfigRuleException", 400)), "not-found");
        assert.equal(awsFailureKind(sdkError("RegionDisabledException", 403)), "access-denied");
        assert.equal(awsFailureKind(sdkError("RegionDisabledException", 400)), "region-disabled");
        assert.equal(awsFailureKind(sdkError("Unknown", 502)), "http-status");
        assert.equal(awsFailureKind(sdkError("ValidationError", 400)), "other");
    });

    it("reads the code from Code, name or code, never the generic Error", () => {
        assert.equal(errorCode({ Code: "A" }), "A");
        assert.equal(errorCode(new Error("x")), "Error");
        assert.equal(errorCode({ code: "ECONNRESET" }), "ECONNRESET");
        assert.equal(errorCode(null), "Error");
    });
});

describe("aws edges: no call hangs", () => {
    let server: http.Server;
    let endpoint: string;
    const sockets = new Set<import("node:net").Socket>();
    before(async () => {
        // Accepts the connection and reads the request, then never answers.
        server = http.createServer(() => undefined);
        server.on("connection", (s) => sockets.add(s));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        for (const s of sockets) s.destroy();
        await new Promise((r) => server.close(r));
    });

    it("a silent endpoint fails within the request timeout, as a timeout", async () => {
        const sts = new STSClient({
            ...awsClientConfig({ region: "eu-west-1", maxAttempts: 1, requestTimeoutMs: 300 }),
            endpoint,
            credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x".repeat(10) },
        });
        const started = Date.now();
        const err = await sts.send(new GetCallerIdentityCommand({})).then(
            () => assert.fail("answered"),
            (e: unknown) => e,
        );
        assert.ok(Date.now() - started < 5_000);
        assert.equal(awsFailureKind(err), "timeout");
    });

    it("withDeadline rejects with what did not finish, and aborts the work's signal", async () => {
        let aborted = false;
        const err = await withDeadline(50, "reading Config", (signal) => {
            signal.addEventListener("abort", () => (aborted = true));
            return new Promise(() => undefined);
        }).catch((e: unknown) => e);
        assert.ok(err instanceof DeadlineError);
        assert.match((err as Error).message, /reading Config did not finish within 0 s|reading Config did not finish/);
        assert.ok(aborted);
        assert.equal(await withDeadline(1000, "x", async () => 7), 7);
    });
});
