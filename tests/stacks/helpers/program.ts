/**
 * Runs stacks/index.ts under `pulumi.runtime.setMocks` with a given config and records every resource.
 * Each run clears the stacks/ modules from the require cache so the program reads its config afresh.
 */
import { createHash } from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

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

/** The program's aws:region while it runs (resources without a resource-level region live there). */
let providerRegion = "eu-west-1";

/** ARNs in AWS's own format for the types whose ARNs tests follow (event routing, IAM evaluation). */
function realisticArn(type: string, name: string, region: string, inputs: Record<string, any>): string | undefined {
    switch (type) {
        case "aws:cloudwatch/eventBus:EventBus":
            return `arn:aws:events:${region}:${ACCOUNT_ID}:event-bus/${name}`;
        case "aws:cloudwatch/eventRule:EventRule": {
            const bus = inputs.eventBusName && inputs.eventBusName !== "default" ? `${inputs.eventBusName}/` : "";
            return `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${bus}${name}`;
        }
        case "aws:sns/topic:Topic":
            return `arn:aws:sns:${region}:${ACCOUNT_ID}:${name}`;
        case "aws:sqs/queue:Queue":
            return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`;
        case "aws:iam/role:Role":
            return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
        case "aws:kms/key:Key":
            return `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${fakeKeyId(name)}`;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${name}`;
        case "aws:s3/bucket:Bucket":
            return `arn:aws:s3:::${inputs.bucket ?? name}`;
        case "aws:lambda/function:Function":
            return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
        default:
            return undefined;
    }
}

/** The first key keeps the id tests have always used; every other key gets its own. */
function fakeKeyId(name: string): string {
    if (name === "rootguard-alerts-key") return "1234abcd-12ab-34cd-56ef-1234567890ab";
    const h = createHash("sha256").update(name).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function fakeState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    const inputs = args.inputs ?? {};
    const name = inputs.name ?? args.name;
    const service = args.type.split(":")[1]?.split("/")[0] ?? "x";
    const region = inputs.region ?? providerRegion;
    const arn =
        realisticArn(args.type, name, region, inputs) ??
        `arn:aws:${service}:${region}:${ACCOUNT_ID}:${args.type.split(":").pop()?.toLowerCase()}/${name}`;
    const state: Record<string, any> = { ...inputs, name, arn };
    if (args.type === "aws:sqs/queue:Queue") state.url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${name}`;
    if (args.type === "aws:kms/key:Key") state.keyId = fakeKeyId(name);
    if (args.type === "aws:s3/bucket:Bucket") state.bucket = inputs.bucket ?? name;
    return { id: `${name}-id`, state };
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const result = fakeState(args);
        current?.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs ?? {},
            state: result.state,
            custom: args.custom ?? true,
            provider: args.provider,
        });
        return result;
    },
    call(args) {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
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
                return args.inputs;
        }
    },
};

let current: RecordedResource[] | undefined;

/** `config` keys without a namespace are `rootguard:` keys; `aws:region` defaults to eu-west-1. */
export function toPulumiConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = { "aws:region": "eu-west-1" };
    for (const [k, v] of Object.entries(config)) {
        const key = k.includes(":") ? k : `rootguard:${k}`;
        out[key] = typeof v === "string" ? v : JSON.stringify(v);
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

async function settle(value: unknown): Promise<any> {
    if (pulumi.Output.isInstance(value)) return new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
    return value;
}

/** Run the real program (stacks/index.ts). Throws what the program throws (e.g. a config error). */
export async function runProgram(config: Record<string, unknown>, options: { entry?: string; fresh?: boolean } = {}): Promise<ProgramRun> {
    await pulumi.runtime.setMocks(mocks, "rootguard", "test", false);
    const pulumiConfig = toPulumiConfig(config);
    providerRegion = pulumiConfig["aws:region"];
    pulumi.runtime.setAllConfig(pulumiConfig);
    clearStacksFromCache(options.fresh ?? false);
    const recorded: RecordedResource[] = [];
    current = recorded;
    const started = process.hrtime.bigint();
    try {
        const mod = require(path.join(REPO_ROOT, options.entry ?? "stacks/index"));
        const outputs: Record<string, any> = {};
        for (const [k, v] of Object.entries(mod)) outputs[k] = await settle(v);
        await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        return { resources: recorded, outputs, elapsedMs };
    } finally {
        current = undefined;
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
