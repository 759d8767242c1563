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
 * The records with default providers inserted, and every custom resource's provider reference filled in
 * (`<urn>::<id>`, the form a stack export holds).
 */
export function withDefaultProviders(records: ResourceRecord[], config: StackConfig, project: string): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    const defaults = new Map<string, ResourceRecord>();
    for (const record of records) {
        const needsDefault =
            record.custom && !record.providerRef && !isProviderType(record.type) && !record.type.startsWith("pulumi:pulumi:");
        if (!needsDefault) {
            out.push(record);
            continue;
        }
        const pkg = packageOf(record.type);
        const name = defaultProviderName(record.version);
        const key = `${pkg}::${name}`;
        let provider = defaults.get(key);
        if (!provider) {
            const type = `pulumi:providers:${pkg}`;
            const inputs = providerConfig(config, pkg);
            if (record.version) inputs.version = record.version;
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
        out.push({ ...record, providerRef: `${provider.urn}::${provider.id}` });
    }
    return out;
}
