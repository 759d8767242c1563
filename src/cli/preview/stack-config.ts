import * as fs from "fs";
import * as path from "path";
import { UserError } from "../errors";
import { UNKNOWN } from "../../core/pulumi-values";
import { isRecord, readYamlFile, type PulumiProject } from "./project";

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

function containsSecure(raw: unknown): boolean {
    if (Array.isArray(raw)) return raw.some(containsSecure);
    if (!isRecord(raw)) return false;
    return "secure" in raw || Object.values(raw).some(containsSecure);
}

function stackValue(raw: unknown): ConfigValue {
    // An object with an encrypted leaf cannot be decrypted in part: the whole value is a secret unknown.
    if (containsSecure(raw)) return { text: UNKNOWN, secret: true, unknown: true, object: false };
    return plainValue(raw);
}

/**
 * The stack to preview when none is named: the only `Pulumi.<stack>.yaml` if there is exactly one,
 * otherwise `dev` (which may have no file: then Pulumi.yaml defaults apply alone).
 */
export function chooseStack(projectDir: string, requested?: string): string {
    if (requested) return requested;
    const stacks = fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined);
    return stacks.length === 1 ? stacks[0] : "dev";
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
    stack: string,
    overrides: string[],
    reportedMissing: readonly string[] = [],
): StackConfig {
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

    const file = ["yaml", "yml"].map((ext) => path.join(project.dir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
    if (file) {
        const doc = readYamlFile(file);
        const config = isRecord(doc) && isRecord(doc.config) ? doc.config : {};
        for (const [key, raw] of Object.entries(config)) values.set(qualifyKey(key, project.name), stackValue(raw));
    }

    for (const text of overrides) {
        const [key, value] = parseOverride(text);
        values.set(qualifyKey(key, project.name), plainValue(value));
    }

    for (const key of required) {
        if (!values.has(key) && !reportedMissing.includes(key)) throw missingConfig(key, project.name, stack);
    }
    return { stack, file, values };
}

export function missingConfig(key: string, project: string, stack: string): UserError {
    const short = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
    return new UserError(`missing required configuration '${key}': add it to Pulumi.${stack}.yaml or pass --config ${short}=VALUE`);
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
