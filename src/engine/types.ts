/**
 * The shapes that travel through the Analyzer protocol, as plain data. The offline preview produces them,
 * the engine client sends them, the protocol tests and benchmarks build them by hand.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

/** A provider as the engine attaches it to each Analyze request. */
export interface ProviderInput {
    type: string; // e.g. "pulumi:providers:aws"
    urn: string;
    name: string;
    properties: Record<string, unknown>;
}

/** One resource as the engine describes it to a pack: inputs for Analyze, outputs for AnalyzeStack. */
export interface ResourceInput {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    provider?: ProviderInput;
    protect?: boolean;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** JSON schema of the policy's config, as the pack declares it. */
    configSchema?: { properties?: Record<string, unknown>; required?: string[] };
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    policies: PolicyInfo[];
}

/** One diagnostic (violation) returned by Analyze or AnalyzeStack. */
export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
}

/** Policy pack config as users write it: `{ "<policy>": { "enforcementLevel"?: ..., ...props } }` or a bare level. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;
