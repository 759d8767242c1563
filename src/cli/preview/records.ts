/**
 * What the program runner sends back to the CLI for every registered resource, in wire form: secrets stay
 * wrapped in their marker and unknowns stay the engine's unknown string, exactly as the engine would hold them.
 */
export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    /** false for component resources and the stack. */
    custom: boolean;
    id?: string;
    parent?: string;
    dependencies: string[];
    /** `<provider urn>::<provider id>` when the program chose a provider explicitly. */
    providerRef?: string;
    /** Package version the SDK asked for; names the default provider (`default_7_48_0`). */
    version?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    /** Read with `.get()`: part of the stack's state, never proposed for creation. */
    external?: boolean;
}

/** Messages from the runner child to the CLI over the IPC channel. */
export type RunnerMessage =
    | { kind: "done"; resources: ResourceRecord[] }
    | { kind: "failed"; reason: "config"; key: string }
    | { kind: "failed"; reason: "program"; message: string; frame?: string };

/** What the CLI hands the runner child. */
export interface RunnerJob {
    programPath: string;
    programDir: string;
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    rootguardRoot: string;
    region: string;
}
