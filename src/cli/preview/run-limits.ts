/**
 * `--timeout` and the progress line for `preview` and `analyze`. A program that waits on something that never
 * settles (a network call, a promise nobody resolves, a timer) would otherwise hang the preview forever with
 * nothing on the screen; a large one runs for minutes and should say what it is doing.
 */
import { InvalidArgumentError } from "commander";
import { DeadlineError, withDeadline } from "../../aws/client-config";
import type { PackClient } from "../../engine";
import { UserError } from "../errors";
import { canRedraw } from "../terminal";
import type { PendingPack } from "./evaluate";

/** Ten minutes: a 5,000-resource program previews in about a minute on a busy 2-core machine. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** `--timeout <seconds>`: a number of seconds, 0 for no limit. */
export function parseTimeoutSeconds(text: string): number {
    const seconds = Number(text);
    if (text.trim() === "" || !Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError("expected seconds (0 for no limit)");
    return seconds;
}

export interface RunStatus {
    /** What is happening now, e.g. "running the program". */
    phase(label: string, total?: number): void;
    /** One more resource analyzed. */
    analyzed(): void;
    /** Where the run had got to, for a timeout message. */
    describe(): string;
    /** Runs `write` (a notice on stderr) with the line cleared first; the line comes back on the next redraw. */
    interrupt(write: () => void): void;
    /** Clears the line; call before printing the report. */
    done(): void;
}

interface StatusStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

/**
 * A status line on stderr, redrawn every quarter second once the run has taken a second, only where it can be
 * redrawn (a terminal that is not TERM=dumb): in a pipe or a CI log it would be noise.
 */
export function runStatus(
    stream: StatusStream = process.stderr,
    env: NodeJS.ProcessEnv = process.env,
    now: () => number = Date.now,
): RunStatus {
    const start = now();
    let label = "starting";
    let total: number | undefined;
    let count = 0;
    let drawn = false;
    const line = (): string => {
        const counts = total === undefined ? "" : ` ${count.toLocaleString("en")}/${total.toLocaleString("en")}`;
        return `${label}${counts} (${Math.floor((now() - start) / 1000)} s)`;
    };
    const live = canRedraw(stream, env);
    const timer = live
        ? setInterval(() => {
              if (now() - start < 1000) return;
              stream.write(`\r\x1b[2Krootguard: ${line()}`);
              drawn = true;
          }, 250)
        : undefined;
    timer?.unref();
    return {
        phase(next, size) {
            label = next;
            total = size;
            count = 0;
        },
        analyzed() {
            count++;
        },
        describe: () => `${label}${total === undefined ? "" : ` (${count} of ${total} done)`}`,
        interrupt(write) {
            if (drawn) stream.write("\r\x1b[2K");
            drawn = false;
            write();
        },
        done() {
            if (timer) clearInterval(timer);
            if (drawn) stream.write("\r\x1b[2K");
            drawn = false;
        },
    };
}

/** The same pack, counting answered Analyze calls into `status`. */
export function countingAnalyze(pack: PendingPack, status: RunStatus): PendingPack {
    const client = pack.client.then((c): PackClient | Error => {
        if (c instanceof Error) return c;
        return {
            get port() {
                return c.port;
            },
            info: () => c.info(),
            configure: (config, options) => c.configure(config, options),
            configureStack: (context) => c.configureStack(context),
            analyze: async (resource) => {
                const diagnostics = await c.analyze(resource);
                status.analyzed();
                return diagnostics;
            },
            analyzeStack: (resources) => c.analyzeStack(resources),
            close: () => c.close(),
        };
    });
    return { ...pack, client };
}

/**
 * `work` under `--timeout`: when it expires, `stop` ends the program runner and the pack, and the run fails
 * with one line that says where it was.
 */
export async function underTimeout<T>(seconds: number, status: RunStatus, stop: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    try {
        if (seconds === 0) return await work();
        return await withDeadline(seconds * 1000, "the run", (signal) => {
            signal.addEventListener("abort", () => void stop());
            return work();
        });
    } catch (err) {
        if (!(err instanceof DeadlineError)) throw err;
        throw new UserError(
            `stopped after ${seconds} s (--timeout) while ${status.describe()}: a program that waits on something that never settles ` +
                "(a network call, an unresolved promise, a timer) never finishes offline; raise --timeout for a very large program",
        );
    } finally {
        status.done();
    }
}
