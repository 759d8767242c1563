/**
 * A loopback STS that answers GetCallerIdentity with a chosen ARN, reached by a pack through
 * AWS_ENDPOINT_URL_STS. It records which access key IDs signed the requests it saw.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackSts {
    readonly url: string;
    readonly requests: { action: string; keyId?: string }[];
    setArn(arn: string): void;
    close(): Promise<void>;
}

export async function startLoopbackSts(initialArn: string): Promise<LoopbackSts> {
    let arn = initialArn;
    const requests: { action: string; keyId?: string }[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (c: string) => (body += c));
        req.on("end", () => {
            const action = new URLSearchParams(body).get("Action") ?? new URL(req.url ?? "/", "http://x").searchParams.get("Action") ?? "";
            const keyId = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];
            requests.push({ action, keyId });
            if (action !== "GetCallerIdentity") {
                res.writeHead(400, { "content-type": "text/xml" });
                res.end(`<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
                return;
            }
            const account = /arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? "123456789012";
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(
                `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
                    `<GetCallerIdentityResult><Arn>${arn}</Arn><UserId>${arn.endsWith(":root") ? account : "AROAEXAMPLEROLEID:session"}</UserId>` +
                    `<Account>${account}</Account></GetCallerIdentityResult>` +
                    `<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>` +
                    `</GetCallerIdentityResponse>`,
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        setArn: (a) => (arn = a),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
