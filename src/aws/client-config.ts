/**
 * One way to configure an AWS SDK v3 client at rootguard's edges: bounded connection and request times and a
 * bounded number of attempts, so no call can hang. The remediator, the compliance view and doctor all build
 * their clients from this; tests pass a requestHandler or retryStrategy of their own.
 */

export interface AwsClientOptions {
    region?: string;
    /** Attempts per call including retries (throttling, 5xx, timeouts). */
    maxAttempts?: number;
    /** "adaptive" adds client-side rate limiting, for fan-outs that share one caller's throttle. */
    retryMode?: "standard" | "adaptive";
    /** Time to establish a connection, in ms. */
    connectionTimeoutMs?: number;
    /** Time without a response once connected, in ms (per attempt). */
    requestTimeoutMs?: number;
    /** Replaces the default handler (tests: a capturing handler). Timeouts then are the handler's. */
    requestHandler?: unknown;
    /** Replaces retryMode/maxAttempts (tests: millisecond backoff). */
    retryStrategy?: unknown;
}

export const CLIENT_DEFAULTS = {
    maxAttempts: 3,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
} as const;

/** Config to spread into any `new XxxClient(...)`. */
export function awsClientConfig(options: AwsClientOptions = {}): Record<string, unknown> {
    return {
        ...(options.region ? { region: options.region } : {}),
        ...(options.retryStrategy
            ? { retryStrategy: options.retryStrategy }
            : { retryMode: options.retryMode ?? "standard", maxAttempts: options.maxAttempts ?? CLIENT_DEFAULTS.maxAttempts }),
        requestHandler: options.requestHandler ?? {
            connectionTimeout: options.connectionTimeoutMs ?? CLIENT_DEFAULTS.connectionTimeoutMs,
            requestTimeout: options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs,
            // @smithy/node-http-handler 4.x only logs a warning when requestTimeout passes unless told to throw.
            throwOnRequestTimeout: true,
        },
    };
}

export class DeadlineError extends Error {
    override readonly name = "DeadlineError";
}

/**
 * `work` with an overall deadline: rejects with DeadlineError(`what` …) after `ms`, and aborts the signal it
 * hands to `work` so SDK calls (`send(cmd, { abortSignal })`) stop instead of running on in the background.
 */
export async function withDeadline<T>(ms: number, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new DeadlineError(`${what} did not finish within ${Math.round(ms / 1000)} s`));
        }, ms);
        timer.unref?.();
    });
    try {
        return await Promise.race([work(controller.signal), expired]);
    } finally {
        clearTimeout(timer);
    }
}
