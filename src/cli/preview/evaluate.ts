import * as fs from "fs";
import * as path from "path";
import { startPack, type Diagnostic, type PackClient, type PolicyPackConfig, type ResourceInput } from "../../engine";
import { UserError } from "../errors";

export interface Verdict {
    pack: { name: string; version: string };
    diagnostics: Diagnostic[];
}

/** `--policy-pack-config`: the same JSON file `pulumi preview --policy-pack-config` takes. */
export function readPackConfig(file?: string): PolicyPackConfig | undefined {
    if (!file) return undefined;
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UserError(`cannot read policy pack config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new UserError(`policy pack config ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new UserError(`policy pack config ${file} must be a JSON object keyed by policy name`);
    }
    return parsed as PolicyPackConfig;
}

function oneLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** A pack being started. Starting it while the program runs hides most of its ~1.5 s start-up. */
export interface PendingPack {
    dir: string;
    client: Promise<PackClient | Error>;
    /** Stops the pack if it started; for when the program failed and no evaluation follows. */
    discard(): Promise<void>;
}

export function openPack(packDir: string): PendingPack {
    const dir = path.resolve(packDir);
    // Settled either way, so an early failure is not an unhandled rejection while the program still runs.
    const client = startPack(dir).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    return {
        dir,
        client,
        discard: async () => {
            const c = await client;
            if (!(c instanceof Error)) await c.close();
        },
    };
}

/** A pack conversation fed one resource at a time, as the engine feeds it while the program runs. */
export interface Evaluation {
    /** Queues Analyze of one resource's inputs. */
    analyze(resource: ResourceInput): void;
    /** Waits for every queued Analyze, sends AnalyzeStack over `stack` (everything's outputs) and closes the pack. */
    finish(stack: ResourceInput[]): Promise<Verdict>;
    /** Stops the pack without a verdict: the program failed or ran out of time. */
    abort(): Promise<void>;
    /** Analyze calls answered so far. */
    analyzed(): number;
}

/**
 * Analyze calls in flight at once. The engine makes them one at a time; each is independent (a resource
 * policy sees one resource), so a few in flight give the same verdict while hiding the round trip, which on
 * a busy machine costs more than the policies themselves.
 */
export const ANALYZE_WINDOW = 8;

/**
 * The engine's conversation with a pack, in its order: ConfigureStack, GetAnalyzerInfo, Configure (schema
 * defaults, then the user's config), Analyze per resource, AnalyzeStack once.
 */
export function startEvaluation(
    pack: PendingPack,
    context: { stack: string; project: string },
    config?: PolicyPackConfig,
    window = ANALYZE_WINDOW,
): Evaluation {
    const ready = (async () => {
        const started = await pack.client;
        if (started instanceof Error) throw new UserError(`policy pack at ${pack.dir} failed to start: ${oneLine(started)}`);
        await started.configureStack({ stack: context.stack, project: context.project, dryRun: true });
        const info = await started.info();
        try {
            await started.configure(config);
        } catch (err) {
            throw new UserError(`policy pack config rejected: ${oneLine(err)}`);
        }
        return { client: started, info };
    })();
    ready.catch(() => undefined);
    // Diagnostics by resource, so the verdict lists them in the stack's order whatever order they came in.
    const found = new Map<string, Diagnostic[]>();
    const queue: (ResourceInput | undefined)[] = [];
    let next = 0;
    let active = 0;
    let answered = 0;
    let failure: { error: unknown } | undefined;
    let drained: (() => void) | undefined;

    const pump = (): void => {
        while (!failure && active < window && next < queue.length) {
            const resource = queue[next]!;
            // Released as soon as it is sent: a 100 MB stack must not stay in memory twice.
            queue[next++] = undefined;
            active++;
            ready
                .then(({ client }) => client.analyze(resource))
                .then(
                    (diagnostics) => {
                        if (diagnostics.length > 0) found.set(resource.urn, [...(found.get(resource.urn) ?? []), ...diagnostics]);
                        answered++;
                    },
                    (error: unknown) => {
                        failure ??= { error };
                    },
                )
                .finally(() => {
                    active--;
                    pump();
                });
        }
        if (next === queue.length) {
            queue.length = 0;
            next = 0;
        }
        if (drained && active === 0 && (failure || next === queue.length)) drained();
    };
    const allAnswered = (): Promise<void> =>
        new Promise((resolve) => {
            drained = resolve;
            pump();
        });

    return {
        analyze(resource) {
            queue.push(resource);
            pump();
        },
        async finish(stack) {
            try {
                await allAnswered();
                if (failure) throw failure.error;
                const { client, info } = await ready;
                const diagnostics: Diagnostic[] = [];
                for (const r of stack) {
                    diagnostics.push(...(found.get(r.urn) ?? []));
                    found.delete(r.urn);
                }
                for (const rest of found.values()) diagnostics.push(...rest);
                diagnostics.push(...(await client.analyzeStack(stack)));
                return { pack: { name: info.name, version: info.version }, diagnostics };
            } catch (err) {
                if (err instanceof UserError) throw err;
                throw new UserError(oneLine(err));
            } finally {
                await pack.discard();
            }
        },
        async abort() {
            failure ??= { error: new Error("aborted") };
            await pack.discard();
        },
        analyzed: () => answered,
    };
}

/** All at once: for a saved stack, whose resources are all known before the first Analyze. */
export async function evaluate(
    pack: PendingPack,
    context: { stack: string; project: string },
    requests: { analyze: ResourceInput[]; stack: ResourceInput[] },
    config?: PolicyPackConfig,
): Promise<Verdict> {
    const evaluation = startEvaluation(pack, context, config);
    for (const resource of requests.analyze) evaluation.analyze(resource);
    return evaluation.finish(requests.stack);
}
