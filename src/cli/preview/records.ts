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
    /** A component its package's provider plugin builds (`Construct`), e.g. the awsx components. */
    remote?: boolean;
    /** A remote component's `providers` option: package → provider reference, handed to its children. */
    providers?: Record<string, string>;
}

/** Messages from the runner child to the CLI over the IPC channel. */
export type RunnerMessage =
    | { kind: "done"; resources: ResourceRecord[] }
    | { kind: "failed"; reason: "config"; key: string }
    | { kind: "failed"; reason: "program"; message: string; frame?: string }
    /** The program imports a package that neither its folder nor rootguard has. */
    | { kind: "failed"; reason: "module"; module: string; message: string; frame?: string };

export type RunnerFailure = Extract<RunnerMessage, { kind: "failed" }>;

/** What the CLI hands the runner child. */
export interface RunnerJob {
    /** The entry file (program-entry.ts resolves folders the way Pulumi's host does). */
    programPath: string;
    /** Load with `import()`: package.json says `"type": "module"`. */
    esm: boolean;
    programDir: string;
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    rootguardRoot: string;
    region: string;
    /** `--lookup` values by invoke token. */
    lookups?: Record<string, Record<string, unknown>>;
}
