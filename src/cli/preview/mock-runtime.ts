/**
 * Pulumi's runtime mocks, plus what the mocks do not keep: every registration as the engine would see
 * it (parent, provider reference, dependencies, wire-form inputs). Runs inside the runner child only.
 */
import type * as pulumiType from "@pulumi/pulumi";
import type { ResourceRecord } from "./records";
import { mockArn, mockId } from "./mock-values";
import { mockLookup } from "./lookups";
import { UNKNOWN } from "../../core/pulumi-values";

const STACK_TYPE = "pulumi:pulumi:Stack";
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

export function createMocks(region: string, lookups: Record<string, Record<string, unknown>> = {}): pulumiType.runtime.Mocks {
    return {
        newResource(args) {
            const inputs = (args.inputs ?? {}) as Record<string, unknown>;
            // Another stack's outputs are in a backend nobody can reach offline: unknown, as outputs still to
            // be computed are in a preview.
            if (args.type === STACK_REFERENCE_TYPE)
                return { id: String(inputs.name ?? args.name), state: { ...inputs, outputs: UNKNOWN, secretOutputNames: [] } };
            if (!args.custom) return { id: undefined, state: inputs };
            const id = args.id || mockId(args.type, args.name, inputs);
            const arn = mockArn(args.type, args.name, inputs, region);
            const state: Record<string, unknown> = { ...inputs };
            if (arn !== undefined && state.arn === undefined) state.arn = arn;
            return { id, state };
        },
        call(args) {
            try {
                return mockLookup(args.token, (args.inputs ?? {}) as Record<string, unknown>, region, lookups);
            } catch (err) {
                // The SDK reports a failed invoke with the gRPC error's `details`, which a plain Error lacks.
                throw Object.assign(err as Error, { details: (err as Error).message });
            }
        },
    };
}

function structToJs(struct: any): Record<string, unknown> {
    return struct && typeof struct.toJavaScript === "function" ? struct.toJavaScript() : {};
}

/**
 * Hooks the mock monitor. Its URN builder is replaced by the engine's: the mock monitor prefixes a child's
 * type with its parent's last type only, and with `pulumi:pulumi:Stack$` under the stack, while the engine
 * (`generateURN` in pulumi/pulumi pkg/resource/deploy/deployment.go) prefixes the parent's whole qualified
 * type, `a$b$c`, and nothing under the stack, as the SDK's `createUrn` does.
 */
export function recordRegistrations(monitor: any, region: string): () => ResourceRecord[] {
    // Slots are taken in registration order, not completion order: the report and the engine's
    // default-provider placement both follow the program's order.
    const slots: (ResourceRecord | undefined)[] = [];
    const byUrn = new Map<string, ResourceRecord>();

    const newUrn = monitor.newUrn.bind(monitor);
    monitor.newUrn = (parent: string, type: string, name: string) => {
        // URN: urn:pulumi:<stack>::<project>::<qualified type>::<name>
        const parentType = parent ? (parent.split("::")[2] ?? "") : "";
        return newUrn("", parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type, name);
    };

    const add = (slot: number, req: any, resp: any, external: boolean, urn: string, id: string | undefined) => {
        const inputs = structToJs(external ? req.getProperties() : req.getObject());
        const custom: boolean = external ? true : req.getCustom();
        const record: ResourceRecord = {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom,
            id: id || undefined,
            parent: req.getParent() || undefined,
            dependencies: external ? [] : req.getDependenciesList(),
            providerRef: req.getProvider() || undefined,
            version: req.getVersion() || undefined,
            inputs,
            // The mock returned inputs as state; for a custom resource the wire-form inputs keep secrets
            // and unknowns exact, so the response is only read for components.
            outputs: custom ? { ...inputs } : structToJs(resp.getObject?.() ?? resp.getProperties?.()),
            external: external || undefined,
        };
        if (!external && req.getRemote()) {
            record.remote = true;
            const providers = Object.fromEntries(req.getProvidersMap().entries()) as Record<string, string>;
            if (Object.keys(providers).length > 0) record.providers = providers;
        }
        if (custom) {
            const arn = mockArn(record.type, record.name, inputs, region);
            if (arn !== undefined && record.outputs.arn === undefined) record.outputs.arn = arn;
            if (record.id !== undefined) record.outputs.id = record.id;
        }
        slots[slot] = record;
        byUrn.set(urn, record);
    };

    const wrap = (method: string, external: boolean) => {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, callback: (err: unknown, resp: any) => void) => {
            const slot = slots.push(undefined) - 1;
            return original(req, (err: unknown, resp: any) => {
                if (!err && resp) {
                    const id = method === "registerResource" ? resp.getId() : req.getId();
                    add(slot, req, resp, external, resp.getUrn(), id);
                }
                callback(err, resp);
            });
        };
    };
    wrap("registerResource", false);
    wrap("readResource", true);

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: any) => void) => {
        const record = byUrn.get(req.getUrn());
        if (record) record.outputs = structToJs(req.getOutputs());
        return registerOutputs(req, callback);
    };
    return () => slots.filter((r): r is ResourceRecord => r !== undefined);
}
