/**
 * A loopback stand-in for STS and IAM (AWS query protocol, XML answers) that the real SDK reaches
 * through AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM. Keys disappear when deleted; chosen actions can
 * answer Throttling first.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { SESSION } from "./helpers";

export interface Seen {
    action: string;
    params: URLSearchParams;
    headers: IncomingMessage["headers"];
}

const xml = (op: string, ns: string, body: string) =>
    `<${op}Response xmlns="${ns}"><${op}Result>${body}</${op}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${op}Response>`;
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const THROTTLE = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-t</RequestId></ErrorResponse>`;

export function respond(action: string, keys: Set<string>): { status: number; body: string } {
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
                body: xml(
                    "GetAccessKeyLastUsed",
                    IAM_NS,
                    `<AccessKeyLastUsed><LastUsedDate>2026-05-06T07:08:09Z</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`,
                ),
            };
        case "DeleteAccessKey":
            keys.clear();
            return {
                status: 200,
                body: `<DeleteAccessKeyResponse xmlns="${IAM_NS}"><ResponseMetadata><RequestId>r-d</RequestId></ResponseMetadata></DeleteAccessKeyResponse>`,
            };
        default:
            return {
                status: 400,
                body: `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`,
            };
    }
}

export interface Loopback {
    url: string;
    seen: Seen[];
    /** Actions whose next call answers Throttling (each once), or a predicate for every call. */
    throttle: Set<string> | ((action: string) => boolean);
    keys: Set<string>;
    close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
    const lb = { seen: [] as Seen[], throttle: new Set<string>() as Loopback["throttle"], keys: new Set<string>() };
    const server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const params = new URLSearchParams(body);
            const action = params.get("Action") ?? "";
            lb.seen.push({ action, params, headers: req.headers });
            const throttled = typeof lb.throttle === "function" ? lb.throttle(action) : lb.throttle.delete(action);
            const out = throttled ? { status: 400, body: THROTTLE } : respond(action, lb.keys);
            res.writeHead(out.status, { "content-type": "text/xml" });
            res.end(out.body);
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    return Object.assign(lb, {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
    });
}
