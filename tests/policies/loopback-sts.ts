/** A loopback STS that answers GetCallerIdentity, for no-root-credentials tests. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface StsCall {
    /** The access key ID from the SigV4 Authorization header. */
    keyId?: string;
    body: string;
}

export interface LoopbackSts {
    url: string;
    calls: StsCall[];
    close(): Promise<void>;
}

export type Answer = { arn: string; account: string; userId?: string } | "hang" | { status: number };

export function identityXml(arn: string, account: string, userId: string): string {
    return (
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>${arn}</Arn><UserId>${userId}</UserId><Account>${account}</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
    );
}

/** `answer` picks the reply per call, by the signing key ID. */
export async function startSts(answer: (call: StsCall) => Answer): Promise<LoopbackSts> {
    const calls: StsCall[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString()));
        req.on("end", () => {
            const keyId = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? "")?.[1];
            const call = { keyId, body };
            calls.push(call);
            const a = answer(call);
            if (a === "hang") return;
            if ("status" in a) {
                res.writeHead(a.status, { "content-type": "text/xml" });
                res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>`);
                return;
            }
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(identityXml(a.arn, a.account, a.userId ?? "AIDAEXAMPLEUSERID"));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        calls,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
