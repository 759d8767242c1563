/**
 * Two things every rootguard edge wants from an AWS SDK v3 client and the SDK does not give: a word on stderr
 * while a request goes unanswered (an endpoint that accepts a connection and never answers must not leave a
 * terminal silent), and the endpoint a failed request went to, for error messages ("a proxy answered 502",
 * "nothing answered at http://10.0.0.1:4566"). A middleware inside the SDK's retry loop sees every attempt.
 */

/** Anything with a smithy middleware stack (every `new XxxClient(...)`). */
export interface ObservableClient {
    middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

export interface CallObserver {
    /** Called once per attempt still unanswered after `slowAfterMs`. */
    onSlow?(call: { operation: string; endpoint: string; waitedMs: number }): void;
    slowAfterMs?: number;
}

const ENDPOINT = Symbol.for("rootguard.aws.endpoint");

/** `scheme://host[:port]` of the request a failed SDK call last sent, when an observed client made it. */
export function endpointOf(err: unknown): string | undefined {
    const value = err && typeof err === "object" ? (err as Record<symbol, unknown>)[ENDPOINT] : undefined;
    return typeof value === "string" ? value : undefined;
}

interface HttpRequestLike {
    protocol?: string;
    hostname?: string;
    port?: number;
}

function endpointOfRequest(request: unknown): string | undefined {
    const r = request as HttpRequestLike | undefined;
    if (!r?.hostname) return undefined;
    const scheme = (r.protocol ?? "https:").replace(/:?$/, ":");
    return `${scheme}//${r.hostname}${r.port ? `:${r.port}` : ""}`;
}

export function observeCalls<T extends ObservableClient>(client: T, observer: CallObserver = {}): T {
    const slowAfterMs = observer.slowAfterMs ?? 10_000;
    client.middlewareStack.add(
        (next: (args: { request?: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
            async (args: { request?: unknown }) => {
                const endpoint = endpointOfRequest(args.request);
                const started = Date.now();
                const timer = observer.onSlow
                    ? setTimeout(
                          () =>
                              observer.onSlow?.({
                                  operation: (context.commandName ?? "request").replace(/Command$/, ""),
                                  endpoint: endpoint ?? "the AWS endpoint",
                                  waitedMs: Date.now() - started,
                              }),
                          slowAfterMs,
                      )
                    : undefined;
                timer?.unref();
                try {
                    return await next(args);
                } catch (err) {
                    if (endpoint && err && typeof err === "object" && !(ENDPOINT in err)) {
                        Object.defineProperty(err, ENDPOINT, { value: endpoint, enumerable: false });
                    }
                    throw err;
                } finally {
                    clearTimeout(timer);
                }
            },
        { step: "finalizeRequest", name: "rootguardObserveCalls", override: true },
    );
    return client;
}
