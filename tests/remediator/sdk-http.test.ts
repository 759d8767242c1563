/**
 * The real AWS SDK, its retry strategy, signing and XML parsing, against a loopback server: no mocks
 * between the remediator and the wire.
 */
import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { createClients } from "../../src/remediator/clients";
import { inventoryRootKeys } from "../../src/remediator/inventory";
import { remediateAccount } from "../../src/remediator/remediate-account";
import { KEY_ONE, MEMBER, NOW, SESSION, fastRetry, memoryLog, settings } from "./helpers";
import { respond, startLoopback, type Loopback, type Seen } from "./loopback";

describe("remediator over real HTTP (loopback, AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM)", () => {
    let lb: Loopback;
    let seen: Seen[];
    const saved: Record<string, string | undefined> = {};
    const ENV = [
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_IAM",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
    ];

    before(async () => {
        lb = await startLoopback();
        for (const k of ENV) saved[k] = process.env[k];
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_STS: lb.url,
            AWS_ENDPOINT_URL_IAM: lb.url,
            AWS_ACCESS_KEY_ID: "AKIAZ7REMEDIATORROLE",
            AWS_SECRET_ACCESS_KEY: "remediator-role-secret-for-the-loopback-test",
        });
        delete process.env.AWS_SESSION_TOKEN;
        delete process.env.AWS_PROFILE;
    });
    after(async () => {
        for (const k of ENV) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
        await lb.close();
    });
    beforeEach(() => {
        lb.seen.length = 0;
        seen = lb.seen;
        lb.throttle = new Set();
        lb.keys.clear();
        lb.keys.add(KEY_ONE);
    });

    it("AssumeRoot → ListAccessKeys → GetAccessKeyLastUsed, signed with the root session", async () => {
        const clients = createClients({ region: "eu-west-1", retryStrategy: fastRetry() });
        const inv = await inventoryRootKeys({ accountId: MEMBER, method: "assume-root" }, clients);
        assert.deepEqual(
            seen.map((s) => s.action),
            ["AssumeRoot", "ListAccessKeys", "GetAccessKeyLastUsed"],
        );
        const assume = seen[0].params;
        assert.equal(assume.get("TargetPrincipal"), MEMBER);
        assert.equal(assume.get("TaskPolicyArn.arn"), "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials");
        assert.ok(Number(assume.get("DurationSeconds")) <= 900);
        assert.match(String(seen[0].headers.authorization), /Credential=AKIAZ7REMEDIATORROLE\/\d{8}\/eu-west-1\/sts\/aws4_request/);
        // IAM calls carry the temporary root session, not the remediator's own credentials.
        for (const s of seen.slice(1)) {
            assert.match(String(s.headers.authorization), new RegExp(`Credential=${SESSION.AccessKeyId}/`));
            assert.equal(s.headers["x-amz-security-token"], SESSION.SessionToken);
        }
        assert.equal(seen[1].params.get("UserName"), null);
        assert.equal(inv.keys.length, 1);
        assert.equal(inv.keys[0].maskedKeyId, "AKIA****2345");
        assert.deepEqual(inv.keys[0].lastUsed, { date: "2026-05-06T07:08:09.000Z", service: "s3", region: "us-east-1" });
        assert.equal(inv.keys[0].created, "2025-01-01T00:00:00.000Z");
        assert.equal(JSON.stringify(inv).includes(KEY_ONE), false, "the inventory serializes masked");
    });

    it("throttling then success: the SDK retry strategy retries AssumeRoot, ListAccessKeys and DeleteAccessKey", async () => {
        lb.throttle = new Set(["AssumeRoot", "ListAccessKeys", "DeleteAccessKey"]);
        const clients = createClients({ region: "eu-west-1", retryStrategy: fastRetry() });
        const log = memoryLog();
        const report = await remediateAccount(MEMBER, "test", {
            settings: settings({ action: "delete-unused" }),
            clients,
            log,
            now: () => NOW,
            callerAccountId: "999999999999",
        });
        assert.equal(report.status, "remediated", JSON.stringify(report.error));
        assert.deepEqual(
            seen.map((s) => s.action),
            [
                "AssumeRoot",
                "AssumeRoot", // throttled, retried
                "ListAccessKeys",
                "ListAccessKeys",
                "GetAccessKeyLastUsed",
                "AssumeRoot", // delete session
                "DeleteAccessKey",
                "DeleteAccessKey",
                "ListAccessKeys", // verification
            ],
        );
        // The SDK marks retries: same invocation id, attempt 2.
        assert.match(String(seen[1].headers["amz-sdk-request"]), /attempt=2/);
        assert.equal(seen[0].headers["amz-sdk-invocation-id"], seen[1].headers["amz-sdk-invocation-id"]);
        assert.deepEqual([report.keys[0].result, report.keys[0].verifiedGone], ["deleted", true]);
    });

    it("throttling that never stops: classified, reported, not thrown", async () => {
        const clients = createClients({ region: "eu-west-1", retryStrategy: fastRetry() });
        lb.throttle = (action) => action === "AssumeRoot";
        const report = await remediateAccount(MEMBER, "test", {
            settings: settings(),
            clients,
            log: memoryLog(),
            now: () => NOW,
            callerAccountId: "999999999999",
        });
        assert.equal(seen.filter((s) => s.action === "AssumeRoot").length, 4, "maxAttempts of the injected strategy");
        assert.equal(report.status, "error");
        assert.equal(report.error?.kind, "throttled");
    });
});

describe("remediator STS endpoint (real endpoint resolution, captured request)", () => {
    it("AssumeRoot goes to the regional endpoint, even in us-east-1", async () => {
        const saved = process.env.AWS_ENDPOINT_URL_STS;
        delete process.env.AWS_ENDPOINT_URL_STS;
        const hosts: string[] = [];
        const requestHandler = {
            handle: async (request: { hostname: string; protocol: string; body?: string }) => {
                hosts.push(`${request.protocol}//${request.hostname}`);
                return {
                    response: {
                        statusCode: 200,
                        headers: { "content-type": "text/xml" },
                        body: Readable.from([Buffer.from(respond("AssumeRoot", new Set()).body)]),
                    },
                };
            },
            updateHttpClientConfig: () => undefined,
            httpHandlerConfigs: () => ({}),
        };
        try {
            for (const region of ["us-east-1", "eu-west-1"]) {
                const clients = createClients({
                    region,
                    retryStrategy: fastRetry(),
                    requestHandler: requestHandler as any,
                });
                (clients.sts.config as any).credentials = async () => ({ accessKeyId: "AKIAZ7REMEDIATORROLE", secretAccessKey: "x" });
                const { assumeRoot } = await import("../../src/remediator/assume-root");
                await assumeRoot(clients.sts, MEMBER, "IAMAuditRootUserCredentials");
            }
        } finally {
            if (saved !== undefined) process.env.AWS_ENDPOINT_URL_STS = saved;
        }
        assert.deepEqual(hosts, ["https://sts.us-east-1.amazonaws.com", "https://sts.eu-west-1.amazonaws.com"]);
    });
});
