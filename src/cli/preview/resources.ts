/**
 * From recorded resources (a preview or a stack export) to what the engine sends a pack: Analyze gets each
 * resource's inputs with its provider, AnalyzeStack gets everything's outputs.
 */
import type { ProviderInput, ResourceInput } from "../../engine";
import type { ResourceRecord } from "./records";

function urnOfRef(ref: string): string {
    const cut = ref.lastIndexOf("::");
    return cut > 0 ? ref.slice(0, cut) : ref;
}

function providerOf(record: ResourceRecord, byUrn: Map<string, ResourceRecord>): ProviderInput | undefined {
    if (!record.providerRef) return undefined;
    const provider = byUrn.get(urnOfRef(record.providerRef));
    if (!provider) return undefined;
    return { type: provider.type, urn: provider.urn, name: provider.name, properties: provider.inputs };
}

export interface PackRequests {
    /** One Analyze request per resource the engine would step (reads are not analyzed). */
    analyze: ResourceInput[];
    /** AnalyzeStack's resource list. */
    stack: ResourceInput[];
}

export function packRequests(records: ResourceRecord[]): PackRequests {
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const shape = (r: ResourceRecord, properties: Record<string, unknown>): ResourceInput => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        properties,
        parent: r.parent,
        dependencies: r.dependencies,
        provider: providerOf(r, byUrn),
    });
    return {
        analyze: records.filter((r) => !r.external).map((r) => shape(r, r.inputs)),
        stack: records.map((r) => shape(r, r.outputs)),
    };
}
