import * as fs from "fs";
import * as path from "path";
import { startPack, type Diagnostic, type PackClient, type PolicyPackConfig, type ResourceInput } from "../../engine";
import { mapBounded } from "../../core/paging";
import { UserError } from "../errors";
import { fileProblem, parseJsonText, readTextFile } from "../files";

export interface Verdict {
    pack: { name: string; version: string };
    diagnostics: Diagnostic[];
}

/** `--policy-pack-config`: the same JSON file `pulumi preview --policy-pack-config` takes. */
export function readPackConfig(file?: string): PolicyPackConfig | undefined {
    if (!file) return undefined;
    const parsed = parseJsonText(readTextFile(file, "policy pack config"), file, "policy pack config");
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new UserError(`policy pack config ${file} must be a JSON object keyed by policy name`);
    }
    return parsed as PolicyPackConfig;
}

/**
 * Analyze calls in flight at once. The engine makes them one at a time; each is independent (a resource policy
 * sees one resource) and the verdict keeps the resources' order, so a few in flight give the same verdict while
 * hiding the round trip between the two processes: on a busy 2-core machine, analyzing a 100 MB stack export one
 * call at a time left both processes mostly waiting for each other.
 */
export const ANALYZE_WINDOW = 8;

function oneLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** `--policy-pack` must name a pack's folder: said before anything runs, in words that fit the mistake. */
function checkPackDir(given: string, dir: string): void {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(dir);
    } catch (err) {
        throw new UserError(`policy pack ${given}: ${fileProblem(err)}`);
    }
    if (!stat.isDirectory()) throw new UserError(`policy pack ${given} is a file: pass the pack's folder (the one with PulumiPolicy.yaml)`);
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
    checkPackDir(packDir, dir);
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

/**
 * The engine's conversation with a pack, in its order: ConfigureStack, GetAnalyzerInfo, Configure (schema
 * defaults, then the user's config), Analyze per resource, AnalyzeStack once. Closes the pack.
 */
export async function evaluate(
    pack: PendingPack,
    context: { stack: string; project: string },
    requests: { analyze: ResourceInput[]; stack: ResourceInput[] },
    config?: PolicyPackConfig,
): Promise<Verdict> {
    const started = await pack.client;
    if (started instanceof Error) throw new UserError(`policy pack at ${pack.dir} failed to start: ${oneLine(started)}`);
    try {
        return await evaluateWith(started, context, requests, config);
    } finally {
        await started.close();
    }
}

/** The same conversation on a pack that stays open (several programs, one pack: the tests). */
export async function evaluateWith(
    client: PackClient,
    context: { stack: string; project: string },
    requests: { analyze: ResourceInput[]; stack: ResourceInput[] },
    config?: PolicyPackConfig,
): Promise<Verdict> {
    try {
        await client.configureStack({ stack: context.stack, project: context.project, dryRun: true });
        const info = await client.info();
        try {
            await client.configure(config);
        } catch (err) {
            throw new UserError(`policy pack config rejected: ${oneLine(err)}`);
        }
        const diagnostics = (await mapBounded(requests.analyze, ANALYZE_WINDOW, (resource) => client.analyze(resource))).flat();
        diagnostics.push(...(await client.analyzeStack(requests.stack)));
        return { pack: { name: info.name, version: info.version }, diagnostics };
    } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(oneLine(err));
    }
}
