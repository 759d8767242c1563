/**
 * From recorded resources (a preview or a stack export) to what the engine sends a pack: Analyze gets each
 * resource's inputs with its provider, AnalyzeStack gets everything's outputs.
 */
import type { ProviderInput, ResourceInput } from "../../engine";
import type { ResourceRecord } from "./records";
import { isProviderType } from "../../core/pulumi-values";

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

function shape(r: ResourceRecord, properties: Record<string, unknown>, byUrn: Map<string, ResourceRecord>): ResourceInput {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        properties,
        parent: r.parent,
        dependencies: r.dependencies,
        provider: providerOf(r, byUrn),
    };
}

export function packRequests(records: ResourceRecord[]): PackRequests {
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    return {
        analyze: records.filter((r) => !r.external).map((r) => shape(r, r.inputs, byUrn)),
        stack: records.map((r) => shape(r, r.outputs, byUrn)),
    };
}

/**
 * Analyze requests for records that arrive one at a time (undefined for reads). A provider is registered
 * before anything that uses it (its reference carries its id), so it has always arrived first.
 */
export function analyzeRequests(): (record: ResourceRecord) => ResourceInput | undefined {
    const byUrn = new Map<string, ResourceRecord>();
    return (record) => {
        if (isProviderType(record.type)) byUrn.set(record.urn, record);
        return record.external ? undefined : shape(record, record.inputs, byUrn);
    };
}
