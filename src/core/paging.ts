/**
 * Walking token-paged listings (NextToken, or Marker/IsTruncated) and a bounded worker pool. No AWS imports:
 * the caller maps its SDK page to { items, nextToken }. Shared by the compliance CLI and the remediator.
 */

export interface Page<T> {
    items: readonly T[] | undefined;
    nextToken: string | undefined;
}

/**
 * Every page's items, in order, one page at a time: a caller that streams (enqueues, writes) never holds the
 * whole listing. A service that hands back the same token twice would loop forever: stop instead.
 */
export async function* pages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<readonly T[]> {
    const seen = new Set<string>();
    let token: string | undefined;
    do {
        const page = await fetch(token);
        yield page.items ?? [];
        token = page.nextToken || undefined;
        if (token !== undefined) {
            if (seen.has(token)) throw new Error(`the service returned the same NextToken twice (${token.slice(0, 16)}…)`);
            seen.add(token);
        }
    } while (token !== undefined);
}

/** Every page, in order (see `pages`). */
export async function allPages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    const out: T[] = [];
    for await (const items of pages(fetch)) out.push(...items);
    return out;
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. After the
 * first failure no new item starts: the command is about to exit with that error, and thousands of
 * further calls would only delay it.
 */
export async function mapBounded<T, R>(
    items: readonly T[],
    concurrency: number,
    work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
        while (!failed && next < items.length) {
            const i = next++;
            try {
                results[i] = await work(items[i], i);
            } catch (err) {
                failed = true;
                throw err;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
    return results;
}
