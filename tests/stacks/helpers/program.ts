/**
 * Runs stacks/index.ts under `pulumi.runtime.setMocks` with a given config and records every resource.
 * Each run clears the stacks/ modules from the require cache so the program reads its config afresh.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { skipPromiseLeakTracking } from "../../../src/cli/preview/promise-tracking";
import { fakeArn, keyId } from "./arns";

export const ACCOUNT_ID = "123456789012";
export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export const ORGANIZATION_ROOT_ID = "r-a1b2";
export const REPO_ROOT = path.resolve(__dirname, "../../..");
const STACKS_DIR = path.join(REPO_ROOT, "stacks") + path.sep;
const COMPILED_STACKS_DIR = path.join(REPO_ROOT, "dist", "stacks") + path.sep;

export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs as the engine receives them (outputs resolved). */
    inputs: Record<string, any>;
    /** What the mock answered: inputs plus arn/id/name. */
    state: Record<string, any>;
    /** The resource's id as the provider would set it (a bucket's name, a queue's URL, a key's id). */
    id?: string;
    custom: boolean;
    /** Set by the engine for the provider used, e.g. `urn:pulumi:…::pulumi:providers:aws::default_…::…`. */
    provider?: string;
}

export interface ProgramRun {
    resources: RecordedResource[];
    outputs: Record<string, any>;
    /** Milliseconds from require to all outputs and registrations settled. */
    elapsedMs: number;
}

/** The `aws:region` of the run: where resources without their own `region` live. */
let currentRegion = "eu-west-1";

/** What the fake AWS answers for a new resource: its inputs plus the ARN, URL, key id or bucket AWS would set. */
export function fakeState(
    args: Pick<pulumi.runtime.MockResourceArgs, "type" | "name" | "inputs">,
    defaultRegion: string = currentRegion,
): { id: string; state: Record<string, any> } {
    const inputs = args.inputs ?? {};
    const name = inputs.name ?? args.name;
    const region = inputs.region ?? defaultRegion;
    const arn = fakeArn(args.type, name, inputs, region, ACCOUNT_ID);
    const state: Record<string, any> = { ...inputs, name, arn };
    if (args.type === "aws:sqs/queue:Queue") state.url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${name}`;
    if (args.type === "aws:kms/key:Key") state.keyId = keyId(name);
    if (args.type === "aws:s3/bucket:Bucket") state.bucket = inputs.bucket ?? name;
    // The ids the AWS provider uses where policies refer to resources by id.
    const ids: Record<string, string | undefined> = {
        "aws:s3/bucket:Bucket": state.bucket,
        "aws:sqs/queue:Queue": state.url,
        "aws:kms/key:Key": state.keyId,
        "aws:sns/topic:Topic": arn,
    };
    return { id: ids[args.type] ?? `${name}-id`, state };
}

/** The KMS aliases the fake account has, and the keys they point at (what `aws.kms.getKey` / DescribeKey answers). */
export const KMS_ALIASES: Record<string, string> = {
    "alias/ops-alerts": `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b`,
    [`arn:aws:kms:eu-west-1:210987654321:alias/shared-alerts`]:
        "arn:aws:kms:eu-west-1:210987654321:key/mrk-0123456789abcdef0123456789abcdef",
};
/** Invoke results a run overrides (token → result), e.g. an organization whose management account is another. */
let currentInvokes: Record<string, Record<string, any>> | undefined;

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const result = fakeState(args);
        current?.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs ?? {},
            state: result.state,
            id: result.id,
            custom: args.custom ?? true,
            provider: args.provider,
        });
        return result;
    },
    call(args) {
        return fakeInvoke(args.token, args.inputs, currentInvokes);
    },
};

/** What the fake account answers to a provider function (invoke); `overrides` replaces a token's result. */
export function fakeInvoke(
    token: string,
    inputs: Record<string, any>,
    overrides?: Record<string, Record<string, any>>,
): Record<string, any> {
    const override = overrides?.[token];
    if (override !== undefined) return override;
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:kms/getKey:getKey": {
            // DescribeKey: an alias (name or ARN) resolves to its target key; an unknown one is NotFoundException.
            const keyId = String(inputs.keyId);
            const arn = KMS_ALIASES[keyId];
            if (!arn) throw new Error(`NotFoundException: Alias ${keyId} is not found.`);
            return { ...inputs, arn, id: arn.split("/").pop() };
        }
        // DescribeOrganization from the management account (the default deployer).
        case "aws:organizations/getOrganization:getOrganization":
            return {
                id: ORGANIZATION_ID,
                arn: `arn:aws:organizations::${ACCOUNT_ID}:organization/${ORGANIZATION_ID}`,
                masterAccountId: ACCOUNT_ID,
                featureSet: "ALL",
                roots: [
                    {
                        id: ORGANIZATION_ROOT_ID,
                        name: "Root",
                        arn: `arn:aws:organizations::${ACCOUNT_ID}:root/${ORGANIZATION_ID}/${ORGANIZATION_ROOT_ID}`,
                        policyTypes: [],
                    },
                ],
            };
        default:
            return inputs;
    }
}

let current: RecordedResource[] | undefined;

// Pulumi's per-promise leak bookkeeping (a captured stack per output property) was three quarters of a run's CPU
// here: 7.6 s → 1.6 s for the default stack's 219 resources. It only feeds a leak report no test reads, and the
// offline preview skips it the same way (src/cli/preview/promise-tracking.ts).
skipPromiseLeakTracking(require("@pulumi/pulumi/runtime/debuggable"));

/**
 * `config` keys without a namespace are `rootguard:` keys; `aws:region` defaults to eu-west-1 and the required
 * `rootguard:createRecorder` to false (the test account already records); `undefined` leaves a key unset.
 */
export function toPulumiConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = { "aws:region": "eu-west-1", "rootguard:createRecorder": "false" };
    for (const [k, v] of Object.entries(config)) {
        const key = k.includes(":") ? k : `rootguard:${k}`;
        if (v === undefined) delete out[key];
        else out[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

const BUNDLE_MODULES = [path.join(STACKS_DIR, "remediator-bundle"), path.join(COMPILED_STACKS_DIR, "remediator-bundle")];

/** Keeps the bundler module (and its per-process bundle) unless `fresh`, so most runs skip esbuild. */
function clearStacksFromCache(fresh: boolean): void {
    for (const key of Object.keys(require.cache)) {
        if (!key.startsWith(STACKS_DIR) && !key.startsWith(COMPILED_STACKS_DIR)) continue;
        if (fresh || !BUNDLE_MODULES.some((m) => key.startsWith(m))) delete require.cache[key];
    }
}

/** An output's value; rejects with the program's error when the output failed (an `apply` that threw). */
async function settle(value: unknown): Promise<any> {
    // `promise()` is the Output's own promise (OutputImpl): unlike `apply`, it also settles on failure.
    if (pulumi.Output.isInstance(value)) return (value as unknown as { promise(): Promise<unknown> }).promise();
    return value;
}

/** Run the real program (stacks/index.ts). Throws what the program throws (e.g. a config error). */
export async function runProgram(
    config: Record<string, unknown>,
    options: { entry?: string; fresh?: boolean; invokes?: Record<string, Record<string, any>> } = {},
): Promise<ProgramRun> {
    await pulumi.runtime.setMocks(mocks, "rootguard", "test", false);
    const pulumiConfig = toPulumiConfig(config);
    pulumi.runtime.setAllConfig(pulumiConfig);
    currentRegion = pulumiConfig["aws:region"] ?? "eu-west-1";
    clearStacksFromCache(options.fresh ?? false);
    const recorded: RecordedResource[] = [];
    current = recorded;
    currentInvokes = options.invokes;
    const started = process.hrtime.bigint();
    try {
        const entry = path.join(REPO_ROOT, options.entry ?? "stacks/index");
        // An entry outside stacks/ (a test program) must also read its config afresh.
        delete require.cache[require.resolve(entry)];
        const mod = require(entry);
        const outputs: Record<string, any> = {};
        for (const [k, v] of Object.entries(mod)) outputs[k] = await settle(v);
        await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        return { resources: recorded, outputs, elapsedMs };
    } finally {
        current = undefined;
        currentInvokes = undefined;
    }
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = ofType(run, type).filter((r) => name === undefined || r.name === name || r.inputs.name === name);
    if (found.length !== 1)
        throw new Error(
            `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
    return found[0];
}

/** Custom (cloud) resources only: what `pulumi up` creates. Components are logical. */
export function cloudResources(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}
