/**
 * The two services a component provider talks back to during Construct, served over real gRPC the way the
 * Pulumi engine serves them: the resource monitor (RegisterResource, Invoke, …) and the engine (Log, root
 * resource). The monitor is @pulumi/pulumi's own MockMonitor, the one `pulumi.runtime.setMocks` uses in
 * process, so a component constructed through the provider meets the same fake AWS as the stack program under
 * mocks. Each handler answers with real protobuf messages (MockMonitor answers some calls with plain objects,
 * which only work in process).
 */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";

const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/resource_pb"));
const fromStubs = (id: string): string => require.resolve(id, { paths: [stubDir] });
const grpc: typeof grpcTypes = require(fromStubs("@grpc/grpc-js"));
const emptyPb = require(fromStubs("google-protobuf/google/protobuf/empty_pb"));
const resourcePb = require("@pulumi/pulumi/proto/resource_pb");
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");

export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

export interface MockEngine {
    /** host:port of both services: the Construct request's monitor endpoint and the provider's engine address. */
    readonly address: string;
    readonly logs: EngineLog[];
    /** The URN the engine would give the program's stack, the parent of a constructed component. */
    readonly stackUrn: string;
    close(): Promise<void>;
}

const SEVERITIES: EngineLog["severity"][] = ["debug", "info", "warning", "error"];

type Handler = (call: { request: any }, callback: (err: Error | null, response?: any) => void) => void;

export async function startMockEngine(mocks: pulumi.runtime.Mocks, project: string, stack: string): Promise<MockEngine> {
    const monitor = new MockMonitor(mocks);
    // The engine's URN scheme: the parent's type chain joined with `$`; the stack itself is not in the chain.
    monitor.newUrn = (parent: string, type: string, name: string): string => {
        const chain = parent ? parent.split("::")[2] : "";
        const qualified = chain && !chain.startsWith("pulumi:pulumi:Stack") ? `${chain}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
    };
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const logs: EngineLog[] = [];
    const delegate =
        (method: string): Handler =>
        (call, callback) =>
            monitor[method](call.request, callback);

    const server = new grpc.Server();
    server.addService(resourceGrpc.ResourceMonitorService, {
        getDeploymentInfo: delegate("getDeploymentInfo"),
        supportsFeature: (call: { request: any }, callback: (err: Error | null, response?: any) => void) =>
            monitor.supportsFeature(call.request, (err: Error | null, plain: { getHassupport(): boolean }) => {
                const response = new resourcePb.SupportsFeatureResponse();
                response.setHassupport(plain.getHassupport());
                callback(err, response);
            }),
        invoke: delegate("invoke"),
        registerResource: delegate("registerResource"),
        registerResourceOutputs: (call, callback) =>
            monitor.registerResourceOutputs(call.request, (err: Error | null) => callback(err, new emptyPb.Empty())),
        registerPackage: delegate("registerPackage"),
    } satisfies Record<string, Handler>);
    server.addService(engineGrpc.EngineService, {
        log: (call, callback) => {
            logs.push({ severity: SEVERITIES[call.request.getSeverity()], message: call.request.getMessage(), urn: call.request.getUrn() });
            callback(null, new emptyPb.Empty());
        },
        getRootResource: (_call, callback) => {
            const response = new enginePb.GetRootResourceResponse();
            response.setUrn(stackUrn);
            callback(null, response);
        },
        setRootResource: (_call, callback) => callback(null, new enginePb.SetRootResourceResponse()),
        requirePulumiVersion: (_call, callback) => callback(null, new enginePb.RequirePulumiVersionResponse()),
    } satisfies Record<string, Handler>);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        logs,
        stackUrn,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
