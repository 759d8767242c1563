/**
 * Builds validation args the way @pulumi/policy 1.21's server does: wire properties through the SDK's
 * own deserializer (secrets become plain values) and its unknown-checking proxy, with stackTags,
 * notApplicable, getConfig, isType/asType and provider. Collects every reportViolation call.
 */
import type {
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { allPolicies } from "../../policies/all";
import { resetReportedProviders } from "../../policies/providers";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN } from "../../src/core/pulumi-values";

const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, unknown>;
};

export { UNKNOWN };
export const SECRET_SIG_KEY = SPECIAL_SIG_KEY;

export function secret<T>(value: T): { [SECRET_SIG_KEY]: string; value: T } {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export interface Reported {
    message: string;
    enforcementLevel?: string;
    urn?: string;
    /** True when the policy used the string form (the SDK prefixes the description). */
    stringForm: boolean;
}

export class NotApplicable extends Error {}

export interface ProviderSpec {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
}

export interface ResourceSpec {
    type: string;
    props: Record<string, unknown>;
    name?: string;
    urn?: string;
    provider?: ProviderSpec;
    /** Skip the SDK's deserializer: hand the tree as is (cycles, wrappers, odd values). */
    raw?: boolean;
}

/** Wire props → what the SDK hands a policy. Falls back to the raw tree when it cannot travel the wire. */
export function policyProps(props: Record<string, unknown>, raw = false): Record<string, unknown> {
    let tree = props;
    if (!raw) {
        try {
            tree = deserializeProperties(Struct.fromJavaScript(props as never), false);
        } catch {
            tree = props;
        }
    }
    return unknownCheckingProxy(tree) as Record<string, unknown>;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::rootguard::${type}::${name}`;
}

function collector(): { reports: Reported[]; report: ReportViolation } {
    const reports: Reported[] = [];
    const report = ((message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const m = message as { message?: string; enforcementLevel?: string; urn?: string };
            reports.push({ message: m.message ?? "", enforcementLevel: m.enforcementLevel, urn: m.urn, stringForm: false });
        } else {
            reports.push({ message: String(message), urn, stringForm: true });
        }
    }) as ReportViolation;
    return { reports, report };
}

function providerOf(p: ProviderSpec | undefined, raw: boolean): ResourceValidationArgs["provider"] {
    if (!p) return undefined;
    return { type: p.type, name: p.name, urn: p.urn ?? urnOf(p.type, p.name), props: policyProps(p.props, raw) };
}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "not applicable");
};

function typeOf(resourceClass: unknown): string | undefined {
    return (resourceClass as { __pulumiType?: string }).__pulumiType;
}

/** What resource and stack validation args both say about one resource; `provider` only when it has one. */
interface ResourceView {
    type: string;
    props: Record<string, unknown>;
    urn: string;
    name: string;
    opts: PolicyResourceOptions;
    provider?: ResourceValidationArgs["provider"];
    isType: (resourceClass: unknown) => boolean;
    asType: (resourceClass: unknown) => Record<string, unknown> | undefined;
}

function resourceView(spec: ResourceSpec): ResourceView {
    const name = spec.name ?? "res";
    const props = policyProps(spec.props, spec.raw);
    const view: ResourceView = {
        type: spec.type,
        props,
        urn: spec.urn ?? urnOf(spec.type, name),
        name,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        isType: (c) => typeOf(c) === spec.type,
        asType: (c) => (typeOf(c) === spec.type ? props : undefined),
    };
    const provider = providerOf(spec.provider, spec.raw ?? false);
    if (provider) view.provider = provider;
    return view;
}

export function resourceArgs(spec: ResourceSpec, config: Record<string, unknown> = {}): ResourceValidationArgs {
    const { asType, ...view } = resourceView(spec);
    return {
        ...view,
        asType: asType as ResourceValidationArgs["asType"],
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
}

export function stackArgs(specs: ResourceSpec[], config: Record<string, unknown> = {}): StackValidationArgs {
    const resources: PolicyResource[] = specs.map((spec) => {
        const { asType, ...view } = resourceView(spec);
        return { ...view, asType: asType as PolicyResource["asType"], dependencies: [], propertyDependencies: {} };
    });
    return { resources, stackTags: new Map<string, string>(), getConfig: <T extends object>() => config as T, notApplicable };
}

function validations(policy: ResourceValidationPolicy) {
    const v = policy.validateResource;
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export async function runResource(
    policy: ResourceValidationPolicy,
    spec: ResourceSpec,
    config: Record<string, unknown> = {},
): Promise<Reported[]> {
    const { reports, report } = collector();
    for (const validate of validations(policy)) await validate(resourceArgs(spec, config), report);
    return reports;
}

export async function runStack(
    policy: StackValidationPolicy,
    specs: ResourceSpec[],
    config: Record<string, unknown> = {},
): Promise<Reported[]> {
    const { reports, report } = collector();
    await policy.validateStack(stackArgs(specs, config), report);
    return reports;
}

const resourcePolicies = allPolicies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = allPolicies.filter((p): p is StackValidationPolicy => "validateStack" in p);

/**
 * Every policy of the pack: each resource policy on each resource (forgetting which providers were already
 * reported before every run), then each stack policy on all of them together. `stackConfig` is keyed by policy
 * name, as a policy pack config file is: a policy refuses settings it does not declare.
 */
export async function runEveryPolicy(
    specs: ResourceSpec[],
    stackConfig: Record<string, Record<string, unknown>> = {},
): Promise<Reported[]> {
    const reports: Reported[] = [];
    for (const spec of specs) {
        for (const p of resourcePolicies) {
            resetReportedProviders();
            reports.push(...(await runResource(p, spec)));
        }
    }
    for (const p of stackPolicies) reports.push(...(await runStack(p, specs, stackConfig[p.name] ?? {})));
    return reports;
}

/** Every 8-character window of a secret: none may appear in any output. */
export function assertNoSecretLeak(messages: string[], secrets: string[], keyIds: string[] = []): void {
    for (const m of messages) {
        for (const id of keyIds) if (m.includes(id)) throw new Error(`message contains a full key ID: ${m.slice(0, 200)}`);
        for (const s of secrets) {
            for (let i = 0; i + 8 <= s.length; i++) {
                if (m.includes(s.slice(i, i + 8))) throw new Error(`message contains part of a secret at offset ${i}`);
            }
        }
    }
}
