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

/**
 * The engine's conversation with a pack, in its order: ConfigureStack, GetAnalyzerInfo, Configure (schema
 * defaults, then the user's config), Analyze per resource, AnalyzeStack once.
 */
export async function evaluate(
    packDir: string,
    context: { stack: string; project: string },
    requests: { analyze: ResourceInput[]; stack: ResourceInput[] },
    config?: PolicyPackConfig,
): Promise<Verdict> {
    const dir = path.resolve(packDir);
    let client: PackClient;
    try {
        client = await startPack(dir);
    } catch (err) {
        throw new UserError(`policy pack at ${dir} failed to start: ${oneLine(err)}`);
    }
    try {
        await client.configureStack({ stack: context.stack, project: context.project, dryRun: true });
        const info = await client.info();
        try {
            await client.configure(config);
        } catch (err) {
            throw new UserError(`policy pack config rejected: ${oneLine(err)}`);
        }
        const diagnostics: Diagnostic[] = [];
        for (const resource of requests.analyze) diagnostics.push(...(await client.analyze(resource)));
        diagnostics.push(...(await client.analyzeStack(requests.stack)));
        return { pack: { name: info.name, version: info.version }, diagnostics };
    } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(oneLine(err));
    } finally {
        await client.close();
    }
}
