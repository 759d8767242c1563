/** Loopback endpoints that misbehave the way real networks do, for tests of the AWS edges. */
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";

/** Accepts every connection, reads the request, never writes a byte. */
export async function silentServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    let count = 0;
    const server = net.createServer((socket) => {
        count++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        connections: () => count,
        close: () => {
            for (const s of sockets) s.destroy();
            return new Promise<void>((r) => server.close(() => r()));
        },
    };
}

/** A proxy's error page: an HTTP status and HTML, no AWS error shape. */
export async function proxyError(status: number): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
            res.writeHead(status, { "content-type": "text/html" });
            res.end(`<html><body><h1>${status} Bad Gateway</h1>\u001b]0;title\u0007</body></html>`);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
