/**
 * Pulumi's runtime mocks, plus what the mocks do not keep: every registration as the engine would see
 * it (parent, provider reference, dependencies, wire-form inputs). Runs inside the runner child only.
 */
import type * as pulumiType from "@pulumi/pulumi";
import type { ResourceRecord } from "./records";
import { mockArn, mockCall, mockId } from "./mock-values";

const STACK_TYPE = "pulumi:pulumi:Stack";

export function createMocks(region: string): pulumiType.runtime.Mocks {
    return {
        newResource(args) {
            const inputs = (args.inputs ?? {}) as Record<string, unknown>;
            if (!args.custom) return { id: undefined, state: inputs };
            const id = args.id || mockId(args.type, args.name, inputs);
            const arn = mockArn(args.type, args.name, inputs, region);
            const state: Record<string, unknown> = { ...inputs };
            if (arn !== undefined && state.arn === undefined) state.arn = arn;
            return { id, state };
        },
        call(args) {
            return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>, region);
        },
    };
}

function structToJs(struct: any): Record<string, unknown> {
    return struct && typeof struct.toJavaScript === "function" ? struct.toJavaScript() : {};
}

/**
 * Hooks the mock monitor. The engine never puts `pulumi:pulumi:Stack$` into a child's URN; the mock
 * monitor does, so its URN builder is corrected here too.
 */
export function recordRegistrations(monitor: any, region: string): () => ResourceRecord[] {
    // Slots are taken in registration order, not completion order: the report and the engine's
    // default-provider placement both follow the program's order.
    const slots: (ResourceRecord | undefined)[] = [];
    const byUrn = new Map<string, ResourceRecord>();

    const newUrn = monitor.newUrn.bind(monitor);
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        return newUrn(parentType === STACK_TYPE ? "" : parent, type, name);
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
