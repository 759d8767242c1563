import type { CallObserver } from "../aws/observe";

/**
 * A line on stderr when AWS has not answered a request for a while (half the request timeout, at most 10 s),
 * at most one every 10 s: an endpoint that accepts the connection and never answers must not leave the
 * terminal silent for minutes. `option` names the flag that sets the per-attempt limit, where there is one.
 */
export function slowCallNotices(stderr: { write(text: string): unknown }, requestTimeoutSeconds: number, option?: string): CallObserver {
    let last = -Infinity;
    return {
        slowAfterMs: Math.min(10_000, (requestTimeoutSeconds * 1000) / 2),
        onSlow({ operation, endpoint, waitedMs }) {
            const now = Date.now();
            if (now - last < 10_000) return;
            last = now;
            stderr.write(
                `rootguard: no answer yet from ${endpoint} to ${operation} after ${Math.round(waitedMs / 1000)} s; ` +
                    `giving up after ${requestTimeoutSeconds} s per attempt${option ? ` (${option})` : ""}\n`,
            );
        },
    };
}
