/**
 * Virtual time for the organization simulation. Simulated AWS calls `sleep` for their modelled latency; the driver
 * lets every running task make progress, and only when all of them wait on virtual timers does it move the clock to
 * the earliest one. Real time never stands in for virtual time, so results do not depend on the machine's speed or
 * load; a task waiting on something real (the SDK's retry timer, set to 0 ms here) is simply waited for.
 */
/** A binary min-heap (the clock's timers, the queue's invisible messages). */
export class MinHeap<T> {
    private readonly items: T[] = [];
    constructor(private readonly less: (a: T, b: T) => boolean) {}

    get size(): number {
        return this.items.length;
    }

    peek(): T | undefined {
        return this.items[0];
    }

    push(item: T): void {
        const h = this.items;
        h.push(item);
        let i = h.length - 1;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (!this.less(h[i], h[p])) break;
            [h[i], h[p]] = [h[p], h[i]];
            i = p;
        }
    }

    pop(): T | undefined {
        const h = this.items;
        const top = h[0];
        const last = h.pop();
        if (h.length > 0 && last !== undefined) {
            h[0] = last;
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                const r = l + 1;
                let m = i;
                if (l < h.length && this.less(h[l], h[m])) m = l;
                if (r < h.length && this.less(h[r], h[m])) m = r;
                if (m === i) break;
                [h[i], h[m]] = [h[m], h[i]];
                i = m;
            }
        }
        return top;
    }
}

interface Timer {
    at: number;
    seq: number;
    resolve: () => void;
}

export class VirtualClock {
    now = 0;
    private readonly timers = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
    private seq = 0;

    /** Virtual milliseconds; 0 or less resolves at once. */
    sleep(ms: number): Promise<void> {
        if (!(ms > 0)) return Promise.resolve();
        return new Promise((resolve) => this.timers.push({ at: this.now + ms, seq: this.seq++, resolve }));
    }

    get sleeping(): number {
        return this.timers.size;
    }

    nextAt(): number | undefined {
        return this.timers.peek()?.at;
    }

    /** Moves to `at` (never backwards) and wakes every timer due by then. */
    advanceTo(at: number): void {
        this.now = Math.max(this.now, at);
        while ((this.timers.peek()?.at ?? Infinity) <= this.now) this.timers.pop()?.resolve();
    }
}

/** Tasks the driver waits for: each one is sequential (at most one pending sleep at a time). */
export class Tasks {
    running = 0;
    readonly errors: unknown[] = [];

    constructor(private readonly clock: VirtualClock) {}

    spawn(work: () => Promise<void>): void {
        this.running++;
        work()
            .catch((err: unknown) => this.errors.push(err))
            .finally(() => this.running--);
    }

    /** Until every running task waits on the virtual clock (or none runs). */
    async settle(): Promise<void> {
        let spins = 0;
        while (this.running > 0 && this.clock.sleeping < this.running) {
            await new Promise((r) => setImmediate(r));
            if (++spins > 1_000_000) throw new Error(`simulation stuck: ${this.running} tasks, ${this.clock.sleeping} sleeping`);
        }
        if (this.errors.length > 0) throw this.errors[0];
    }
}
