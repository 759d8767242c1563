/**
 * rootguard's one client of Pulumi's Analyzer protocol: start a pack like the engine, then GetAnalyzerInfo,
 * Configure (schema defaults filled and validated like the CLI), Analyze and AnalyzeStack.
 */
import { AnalyzerPackClient, type PackClient } from "./analyzer-client";
import { spawnPack, type StartOptions } from "./pack-process";

export type { PackClient } from "./analyzer-client";
export { assetArchive, fileArchive, fileAsset, remoteArchive, remoteAsset, stringAsset, toWireAssets, withAssetHashes } from "./assets";
export type { WireArchive, WireAsset } from "./assets";
export { PolicyConfigError, PolicyConfigReconciler } from "./policy-config";
export type { ReconcileOptions } from "./policy-config";
export { ENFORCEMENT_LEVELS, levelFromWire, levelToWire, toStruct, fromStruct } from "./wire";
export type { Diagnostic, PolicyInfo, PolicyPackConfig, ProviderInput, ResourceInput } from "./types";

/**
 * Starts the pack in `packDir` through run-policy-pack and connects to it. The caller owns the result and
 * must `close()` it; the process is also killed if this process exits first.
 */
export async function startPack(packDir: string, options?: StartOptions): Promise<PackClient> {
    const pack = await spawnPack(packDir, options);
    const client = new AnalyzerPackClient(pack);
    try {
        await client.handshake();
    } catch (err) {
        await client.close();
        throw err;
    }
    return client;
}
