import * as path from "path";
import { UserError } from "../errors";
import { UNKNOWN } from "../../core/pulumi-values";
import { isRecord, readYamlFile, type PulumiProject } from "./project";
import type { StackSelection } from "./stack-selection";

/** One config value as the engine holds it before handing it to the program or a provider. */
interface ConfigValue {
    /** The string the program reads (Pulumi config is strings; objects are JSON text). */
    text: string;
    secret: boolean;
    /** `secure:` in the stack file: encrypted, so its content is unknown offline. */
    unknown: boolean;
    object: boolean;
}

export interface StackConfig {
    stack: string;
    /** The stack file read, if any. */
    file?: string;
    values: Map<string, ConfigValue>;
    /** Pulumi ESC environments the stack file imports (their values cannot be read offline). */
    environments: string[];
}

/** Unqualified keys belong to the project, as in Pulumi.yaml and `pulumi config set`. */
function qualifyKey(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function plainValue(raw: unknown): ConfigValue {
    if (typeof raw === "string") return { text: raw, secret: false, unknown: false, object: false };
    if (typeof raw === "number" || typeof raw === "boolean") return { text: String(raw), secret: false, unknown: false, object: false };
    return { text: JSON.stringify(raw ?? null), secret: false, unknown: false, object: true };
}

function isSecureLeaf(raw: Record<string, unknown>): boolean {
    const keys = Object.keys(raw);
    return keys.length === 1 && keys[0] === "secure" && typeof raw.secure === "string";
}

function containsSecure(raw: unknown): boolean {
    if (Array.isArray(raw)) return raw.some(containsSecure);
    if (!isRecord(raw)) return false;
    return isSecureLeaf(raw) || Object.values(raw).some(containsSecure);
}

/** The value with every `{secure: …}` leaf replaced by the unknown string: what can be known of it offline. */
function withUnknownLeaves(raw: unknown): unknown {
    if (Array.isArray(raw)) return raw.map(withUnknownLeaves);
    if (!isRecord(raw)) return raw;
    if (isSecureLeaf(raw)) return UNKNOWN;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = withUnknownLeaves(v);
    return out;
}

/**
 * A stack file value. The CLI decrypts a value's `secure:` leaves where they are and hands the program the
 * whole value as JSON, marked secret when any leaf was (sdk/go/common/resource/config: `object.Secure`,
 * `Value.Value` → `Plaintext.marshalText`). Offline only the encrypted leaves are unknown, so
 * `config.requireObject()` still gets an object whose other fields are real.
 */
function stackValue(raw: unknown): ConfigValue {
    if (isRecord(raw) && isSecureLeaf(raw)) return { text: UNKNOWN, secret: true, unknown: true, object: false };
    if (containsSecure(raw)) return { ...plainValue(withUnknownLeaves(raw)), secret: true };
    return plainValue(raw);
}

/** `--config key=value`, like `pulumi config set` without `--secret`. */
function parseOverride(text: string): [string, string] {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UserError(`--config expects key=value, got '${text}'`);
    return [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * Stack config as the CLI would give it to the program: Pulumi.yaml defaults, then the stack file, then
 * `--config`. A key that Pulumi.yaml declares without a default and nobody sets stops the preview, as
 * `pulumi preview` does, naming the key — except the `reportedMissing` keys (full names), which a caller that
 * reports on them itself (rootguard doctor) gets left unset.
 */
export function loadStackConfig(
    project: PulumiProject,
    selection: StackSelection,
    overrides: string[],
    reportedMissing: readonly string[] = [],
): StackConfig {
    const stack = selection.name;
    const values = new Map<string, ConfigValue>();
    const required: string[] = [];
    for (const [key, decl] of Object.entries(project.config)) {
        const full = qualifyKey(key, project.name);
        if (isRecord(decl) && ("default" in decl || "value" in decl)) {
            values.set(full, plainValue("value" in decl ? decl.value : decl.default));
        } else if (isRecord(decl) && ("type" in decl || "description" in decl || "secret" in decl)) {
            required.push(full);
        } else {
            values.set(full, plainValue(decl));
        }
    }

    const file = selection.file;
    let environments: string[] = [];
    if (file) {
        const doc = readYamlFile(file);
        const config = isRecord(doc) && isRecord(doc.config) ? doc.config : {};
        for (const [key, raw] of Object.entries(config)) values.set(qualifyKey(key, project.name), stackValue(raw));
        environments = isRecord(doc) ? escEnvironments(doc.environment) : [];
    }

    for (const text of overrides) {
        const [key, value] = parseOverride(text);
        values.set(qualifyKey(key, project.name), plainValue(value));
    }

    const config: StackConfig = { stack, file, values, environments };
    for (const key of required) {
        if (!values.has(key) && !reportedMissing.includes(key)) throw missingConfig(key, project.name, config);
    }
    return config;
}

/**
 * The Pulumi ESC environments a stack file imports: `environment:` is a list of names or an ESC definition
 * whose `imports` name them, and whose own `values` count as one more (sdk/go/common/workspace/project.go,
 * `Environment.Imports`, which calls that one "yaml").
 */
export function escEnvironments(environment: unknown): string[] {
    const nameOf = (entry: unknown): string | undefined =>
        typeof entry === "string" ? entry : isRecord(entry) ? Object.keys(entry)[0] : undefined;
    if (Array.isArray(environment)) return environment.map(nameOf).filter((n): n is string => n !== undefined);
    if (!isRecord(environment)) return [];
    const names = Array.isArray(environment.imports) ? environment.imports.map(nameOf).filter((n): n is string => n !== undefined) : [];
    if (isRecord(environment.values) && Object.keys(environment.values).length > 0) names.push("yaml");
    return names;
}

function escList(config: Pick<StackConfig, "environments">): string {
    return config.environments.map((e) => (e === "yaml" ? "the stack file's own environment values" : `'${e}'`)).join(", ");
}

/** Says that ESC values are out of reach offline, and how to pass them instead. */
export function environmentNotice(config: StackConfig): string | undefined {
    if (config.environments.length === 0) return undefined;
    return (
        `stack '${config.stack}' takes configuration from Pulumi ESC (${escList(config)}), which cannot be read offline: ` +
        "pass the values the program needs with --config key=value (`esc env get <env>` lists them)"
    );
}

export function missingConfig(key: string, project: string, config: Pick<StackConfig, "stack" | "file" | "environments">): UserError {
    const short = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
    const where = config.file ? path.basename(config.file) : `Pulumi.${config.stack}.yaml`;
    const esc = config.environments.length > 0 ? `; Pulumi ESC (${escList(config)}) may set it, but cannot be read offline` : "";
    return new UserError(`missing required configuration '${key}': add it to ${where} or pass --config ${short}=VALUE${esc}`);
}

/** The program's view: `PULUMI_CONFIG` and `PULUMI_CONFIG_SECRET_KEYS` as the language host sets them. */
export function programConfig(config: StackConfig): { config: Record<string, string>; secretKeys: string[] } {
    const out: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of config.values) {
        out[key] = value.text;
        if (value.secret) secretKeys.push(key);
    }
    return { config: out, secretKeys };
}

const AWS_REGION_FALLBACK = "us-east-1";

/**
 * A real preview gets its region from `aws:region` or the environment (AWS_REGION, AWS_DEFAULT_REGION),
 * and the provider refuses to run without one. Offline, with neither, the preview assumes us-east-1 so a
 * program can still be evaluated on a machine that has never seen AWS; the caller says so on stderr.
 * Returns the assumed region, or undefined when the stack or the environment already has one.
 */
export function assumeRegionIfUnset(config: StackConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
    // An aws-native-only stack names its region under aws-native: and needs no aws: one.
    if (config.values.has("aws:region") || config.values.has("aws-native:region")) return undefined;
    if (env.AWS_REGION || env.AWS_DEFAULT_REGION) return undefined;
    config.values.set("aws:region", plainValue(AWS_REGION_FALLBACK));
    return AWS_REGION_FALLBACK;
}

/** The region used for fabricated ARNs: the stack's `aws:region` when readable. */
export function previewRegion(config: StackConfig): string {
    const region = config.values.get("aws:region");
    if (region && !region.unknown && region.text) return region.text;
    return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || AWS_REGION_FALLBACK;
}
