/**
 * The one seam between doctor and the stack's configuration: the project and stack files are read by the
 * offline preview's reader (Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then --config), and the values are
 * validated by the stack program's own parser (stacks/config.ts). Doctor therefore checks exactly the
 * configuration `pulumi up` would deploy, and a bad value stops it with the same message.
 *
 * One exception: `rootguard:createRecorder` is required, and which value is right depends on the account (is a
 * recorder there already?). Doctor reads the stack with that key allowed to be missing, validates everything else,
 * and leaves the key undefined for the config-recorder check, which fails it with the value the account needs.
 */
import { ConfigError, parseConfig, type ConfigKey } from "../../../stacks/config";
import { UserError } from "../errors";
import { readProject } from "../preview/project";
import { loadStackConfig, type StackConfig } from "../preview/stack-config";
import { selectStack } from "../preview/stack-selection";
import type { DoctorConfig } from "./check";

const CREATE_RECORDER = "rootguard:createRecorder";

export interface DoctorStack {
    stack: string;
    /** The stack file read; undefined when only Pulumi.yaml's defaults apply. */
    file?: string;
    config: DoctorConfig;
    /** `aws:profile` from the stack: the profile the provider, and so doctor, uses. */
    profile?: string;
    /** Things the user should know about how doctor reads this stack. */
    notes: string[];
}

export interface StackOptions {
    stack?: string;
    config: string[];
    /** As for preview: a named stack with no stack file reads Pulumi.yaml's defaults and --config alone. */
    allowMissingStackFile?: boolean;
}

/** Provider settings that make `pulumi up` use other credentials or endpoints than doctor's SDK clients. */
const PROVIDER_CREDENTIAL_KEYS = [
    "aws:accessKey",
    "aws:secretKey",
    "aws:token",
    "aws:assumeRole",
    "aws:assumeRoles",
    "aws:assumeRoleWithWebIdentity",
    "aws:sharedCredentialsFiles",
    "aws:sharedConfigFiles",
    "aws:endpoints",
];

function text(values: StackConfig, key: string): string | undefined {
    const value = values.values.get(key);
    if (value === undefined) return undefined;
    if (value.unknown) {
        const short = key.startsWith("rootguard:") ? key.slice("rootguard:".length) : key;
        throw new UserError(`${key} is a secret (secure:) in the stack file and cannot be read here: pass it with --config ${short}=VALUE`);
    }
    return value.text;
}

/** Reads and validates the stack's config like `pulumi up` would; a bad value is a UserError naming the key. */
export function readDoctorStack(dir: string, opts: StackOptions, env: NodeJS.ProcessEnv = process.env): DoctorStack {
    const project = readProject(dir);
    const selection = selectStack(project, opts.stack, opts.allowMissingStackFile === true);
    const stack = selection.name;
    const values = loadStackConfig(project, selection, opts.config, [CREATE_RECORDER]);
    // The AWS provider (and so stacks/index.ts via aws.config.region) falls back to the environment.
    const region = text(values, "aws:region") || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
    // Empty counts as unset: stacks/config.ts refuses it the same way.
    const recorderUnset = (text(values, CREATE_RECORDER) ?? "").trim() === "";
    let config: DoctorConfig;
    try {
        // While createRecorder is unset a stand-in lets parseConfig validate every other key (none of its rules
        // reads createRecorder); the stand-in is dropped at once.
        const parsed = parseConfig(
            (key: ConfigKey) => (key === "createRecorder" && recorderUnset ? "false" : text(values, `rootguard:${key}`)),
            region,
        );
        config = { ...parsed, createRecorder: recorderUnset ? undefined : parsed.createRecorder };
    } catch (err) {
        if (err instanceof ConfigError) throw new UserError(`${err.message} (stack ${stack})`);
        throw err;
    }
    // Decisions the stack takes for the user (a rule AWS Config does not offer here is skipped) and warns about.
    const notes: string[] = config.notices.map((notice) => `pulumi up will warn: ${notice}`);
    if (!values.file) notes.push(`stack ${stack} has no Pulumi.${stack}.yaml: checking Pulumi.yaml's defaults`);
    const profile = values.values.has("aws:profile") ? text(values, "aws:profile") : undefined;
    const others = PROVIDER_CREDENTIAL_KEYS.filter((k) => values.values.has(k));
    if (others.length > 0) {
        notes.push(
            `the stack sets ${others.join(", ")}: pulumi up uses those, doctor uses ${profile ? `profile ${profile}` : "the environment's credentials"}; run doctor with the same identity`,
        );
    }
    return { stack, file: values.file, config, profile: profile || undefined, notes };
}
