/**
 * The real AWS SDK, its retry strategy, signing and XML parsing, against a loopback server: no mocks
 * between the remediator and the wire.
 */
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createClients } from "../../src/remediator/clients";
import { inventoryRootKeys } from "../../src/remediator/inventory";
import { remediateAccount } from "../../src/remediator/remediate-account";
import { KEY_ONE, MEMBER, NOW, SESSION, fastRetry, memoryLog, settings } from "./helpers";

interface Seen {
    action: string;
    params: URLSearchParams;
    headers: IncomingMessage["headers"];
    host: string;
}

const xml = (op: string, ns: string, body: string) =>
    `<${op}Response xmlns="${ns}"><${op}Result>${body}</${op}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${op}Response>`;
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const throttle = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-t</RequestId></ErrorResponse>`;

function respond(action: string, keys: Set<string>): { status: number; body: string } {
    switch (action) {
        case "AssumeRoot":
            return {
                status: 200,
                body: xml(
                    "AssumeRoot",
                    STS_NS,
                    `<Credentials><AccessKeyId>${SESSION.AccessKeyId}</AccessKeyId><SecretAccessKey>${SESSION.SecretAccessKey}</SecretAccessKey><SessionToken>${SESSION.SessionToken}</SessionToken><Expiration>2026-11-22T12:15:00Z</Expiration></Credentials><SourceIdentity>rootguard</SourceIdentity>`,
                ),
            };
        case "ListAccessKeys":
            return {
                status: 200,
                body: xml(
                    "ListAccessKeys",
                    IAM_NS,
                    `<AccessKeyMetadata>${[...keys].map((k) => `<member><AccessKeyId>${k}</AccessKeyId><Status>Active</Status><CreateDate>2025-01-01T00:00:00Z</CreateDate></member>`).join("")}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
                ),
            };
        case "GetAccessKeyLastUsed":
            return {
                status: 200,
                body: xml("GetAccessKeyLastUsed", IAM_NS, `<AccessKeyLastUsed><LastUsedDate>2026-05-06T07:08:09Z</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`),
            };
        case "DeleteAccessKey":
            keys.clear();
            return { status: 200, body: `<DeleteAccessKeyResponse xmlns="${IAM_NS}"><ResponseMetadata><RequestId>r-d</RequestId></ResponseMetadata></DeleteAccessKeyResponse>` };
        default:
            return { status: 400, body: `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>` };
    }
}

describe("remediator over real HTTP (loopback, AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM)", () => {
    let server: Server;
    let seen: Seen[];
    let throttleFirst: Set<string>;
    let keys: Set<string>;
    const saved: Record<string, string | undefined> = {};
    const ENV = ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION"];

    before(async () => {
        server = createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                const params = new URLSearchParams(body);
                const action = params.get("Action") ?? "";
                seen.push({ action, params, headers: req.headers, host: req.headers.host ?? "" });
                const out = throttleFirst.delete(action) ? { status: 400, body: throttle } : respond(action, keys);
                res.writeHead(out.status, { "content-type": "text/xml" });
                res.end(out.body);
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        for (const k of ENV) saved[k] = process.env[k];
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_STS: url,
            AWS_ENDPOINT_URL_IAM: url,
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
        await new Promise((r) => server.close(r));
    });
    beforeEach(() => {
        seen = [];
        throttleFirst = new Set();
        keys = new Set([KEY_ONE]);
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
        throttleFirst = new Set(["AssumeRoot", "ListAccessKeys", "DeleteAccessKey"]);
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
                "AssumeRoot", "AssumeRoot", // throttled, retried
                "ListAccessKeys", "ListAccessKeys",
                "GetAccessKeyLastUsed",
                "AssumeRoot", // delete session
                "DeleteAccessKey", "DeleteAccessKey",
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
        const original = throttleFirst;
        // Every AssumeRoot is throttled.
        Object.defineProperty(original, "delete", { value: (a: string) => a === "AssumeRoot" });
        const report = await remediateAccount(MEMBER, "test", { settings: settings(), clients, log: memoryLog(), now: () => NOW, callerAccountId: "999999999999" });
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
