/**
 * The engine's default providers: a resource registered without an explicit provider is managed by
 * `pulumi:providers:<pkg>::default_<version>`, whose inputs are the stack's `<pkg>:*` config. The mocks
 * never create them, so the preview does, placing each one just before its first user as the engine does.
 */
import type { ResourceRecord } from "./records";
import type { StackConfig } from "./stack-config";
import { fakeUuid } from "./mock-values";
import { isProviderType, wrapSecret } from "../../core/pulumi-values";

function packageOf(type: string): string {
    return type.split(":")[0];
}

/** Provider inputs from stack config, wire-shaped: objects parsed, `secure:` values secret and unknown. */
export function providerConfig(config: StackConfig, pkg: string): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    for (const [key, value] of config.values) {
        const colon = key.indexOf(":");
        if (key.slice(0, colon) !== pkg) continue;
        let wire: unknown = value.text;
        if (value.object) {
            try {
                wire = JSON.parse(value.text);
            } catch {
                wire = value.text;
            }
        }
        props[key.slice(colon + 1)] = value.secret ? wrapSecret(wire) : wire;
    }
    return props;
}

function defaultProviderName(version?: string): string {
    return version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
}

/**
 * Remote components' children are registered by the component package's plugin (`Construct`), which cannot run
 * offline. Those of the packages below create resources of another package, with the default provider unless the
 * component's `providers` option names one, so the engine creates that default provider too: awsx, eks and the
 * AWS API Gateway and static website components all build `aws` resources. Its version is the plugin's, unknown
 * here, so it is named `default`.
 */
const REMOTE_CHILD_PACKAGES: Record<string, string[]> = {
    awsx: ["aws"],
    eks: ["aws"],
    "aws-apigateway": ["aws"],
    "aws-static-website": ["aws"],
};

/**
 * The records with default providers inserted, and every custom resource's and remote component's provider
 * reference filled in (`<urn>::<id>`, the form a stack export holds). The engine gives a default provider to any
 * custom or remote registration without one (`resolveProvider` and the default providers in pulumi/pulumi
 * pkg/resource/deploy/source_eval.go and default_providers.go).
 */
export function withDefaultProviders(records: ResourceRecord[], config: StackConfig, project: string): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    const defaults = new Map<string, ResourceRecord>();
    const defaultFor = (pkg: string, version: string | undefined): ResourceRecord => {
        const name = defaultProviderName(version);
        const key = `${pkg}::${name}`;
        let provider = defaults.get(key);
        if (!provider) {
            const type = `pulumi:providers:${pkg}`;
            const inputs = providerConfig(config, pkg);
            if (version) inputs.version = version;
            const id = fakeUuid(`${type}::${name}`);
            provider = {
                urn: `urn:pulumi:${config.stack}::${project}::${type}::${name}`,
                type,
                name,
                custom: true,
                id,
                dependencies: [],
                inputs,
                outputs: { ...inputs },
            };
            defaults.set(key, provider);
            out.push(provider);
        }
        return provider;
    };
    for (const record of records) {
        const needsDefault =
            (record.custom || record.remote === true) &&
            !record.providerRef &&
            !isProviderType(record.type) &&
            !record.type.startsWith("pulumi:pulumi:");
        if (!needsDefault) {
            out.push(record);
        } else {
            const provider = defaultFor(packageOf(record.type), record.version);
            out.push({ ...record, providerRef: `${provider.urn}::${provider.id}` });
        }
        if (record.remote) {
            for (const pkg of REMOTE_CHILD_PACKAGES[packageOf(record.type)] ?? []) {
                if (!record.providers?.[pkg]) defaultFor(pkg, undefined);
            }
        }
    }
    return out;
}

/** Says which components were left unexpanded because only their plugin can build them. */
export function remoteComponentNotice(records: ResourceRecord[]): string | undefined {
    const remote = records.filter((r) => r.remote);
    if (remote.length === 0) return undefined;
    const shown = remote.slice(0, 3).map((r) => `${r.type} '${r.name}'`);
    if (remote.length > 3) shown.push(`${remote.length - 3} more`);
    return (
        `${shown.join(", ")}: built by ${remote.length === 1 ? "its package's" : "their packages'"} provider plugin, ` +
        "which cannot run offline, so the resources inside are not previewed (the component and its default provider are)"
    );
}
