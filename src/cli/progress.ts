/**
 * Progress on stderr for long runs ("reading 1200/15000 rule evaluations", "analyzing 1200/5000 resources").
 * Only on a terminal that can redraw: in a pipe or a CI log, carriage-return redraws are noise.
 */
import { canRedraw } from "./terminal";

export interface Progress {
    start(total: number): void;
    tick(): void;
    done(): void;
}

export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

export const NO_PROGRESS: Progress = { start() {}, tick() {}, done() {} };

/** Redraws at most every `intervalMs`, so thousands of ticks cost a handful of writes. */
export function terminalProgress(
    stream: ProgressStream,
    label: string,
    intervalMs = 100,
    now: () => number = Date.now,
    env: NodeJS.ProcessEnv = process.env,
): Progress {
    if (!canRedraw(stream, env)) return NO_PROGRESS;
    let total = 0;
    let count = 0;
    let last = -Infinity;
    let drawn = false;
    const draw = (): void => {
        const pct = total === 0 ? 100 : Math.floor((count / total) * 100);
        stream.write(`\r\x1b[2K${label} ${count}/${total} (${pct}%)`);
        drawn = true;
    };
    return {
        start(n) {
            total = n;
            count = 0;
            draw();
            last = now();
        },
        tick() {
            count++;
            const t = now();
            if (t - last >= intervalMs) {
                last = t;
                draw();
            }
        },
        done() {
            if (drawn) stream.write("\r\x1b[2K");
            drawn = false;
        },
    };
}
