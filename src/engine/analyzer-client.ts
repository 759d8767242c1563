/**
 * The Analyzer gRPC calls the engine makes, over a started pack process, with plain data in and out.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { redactCredentials } from "../core/access-keys";
import type { PackProcess } from "./pack-process";
import { PolicyConfigReconciler, type EffectiveConfig, type ReconcileOptions } from "./policy-config";
import { analyzerGrpc, analyzerPb, emptyPb, grpc } from "./proto";
import type { AnalyzerInfo, Diagnostic, PolicyInfo, PolicyPackConfig, ProviderInput, ResourceInput } from "./types";
import { WireValueError, encodeStruct, fromStruct, levelFromWire, levelToWire, toStruct } from "./wire";

// The engine's limit; a stack with 10 MB template bodies must not fail on gRPC's 4 MB default.
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
const DEFAULT_CALL_TIMEOUT_MS = 300_000;

export interface StackContext {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
}

export interface PackClient {
    readonly port: number;
    info(): Promise<AnalyzerInfo>;
    /**
     * Fills schema defaults and validates like the Pulumi CLI (and refuses undeclared settings unless
     * `unknownSettings: "pass"`), then Configure; returns the effective config.
     */
    configure(config?: PolicyPackConfig, options?: ReconcileOptions): Promise<Record<string, Record<string, unknown>>>;
    analyze(resource: ResourceInput): Promise<Diagnostic[]>;
    analyzeStack(resources: ResourceInput[]): Promise<Diagnostic[]>;
    /** ConfigureStack as the engine sends it (stack tags reach `args.stackTags`). Optional for callers. */
    configureStack(context: StackContext): Promise<void>;
    close(): Promise<void>;
}

type Unary<Req, Res> = (
    request: Req,
    metadata: grpcTypes.Metadata,
    options: Partial<grpcTypes.CallOptions>,
    callback: (err: grpcTypes.ServiceError | null, response: Res) => void,
) => unknown;

interface InfoCache {
    info: AnalyzerInfo;
    initialConfig: PolicyPackConfig;
    reconciler: PolicyConfigReconciler;
}

export class AnalyzerPackClient implements PackClient {
    private readonly client: InstanceType<typeof analyzerGrpc.AnalyzerClient>;
    private cached?: Promise<InfoCache>;
    private closed = false;

    constructor(
        private readonly pack: PackProcess,
        private readonly callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
    ) {
        this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
    }

    get port(): number {
        return this.pack.port;
    }

    /** Handshake as the engine sends it; policy SDK 1.21 does not implement it, which is fine. */
    async handshake(): Promise<void> {
        const req = new analyzerPb.AnalyzerHandshakeRequest();
        // No engine address: there is no engine service to log to, and a made-up address would invite a pack to dial it.
        req.setRootDirectory(this.pack.packDir);
        req.setProgramDirectory(this.pack.packDir);
        await this.tolerateUnimplemented(() => this.call("Handshake", this.client.handshake, req));
    }

    async configureStack(context: StackContext): Promise<void> {
        const req = new analyzerPb.AnalyzerStackConfigureRequest();
        req.setStack(context.stack);
        req.setProject(context.project);
        req.setOrganization(context.organization ?? "");
        req.setDryRun(context.dryRun ?? true);
        const tags = req.getTagsMap();
        for (const [k, v] of Object.entries(context.tags ?? {})) tags.set(k, v);
        await this.tolerateUnimplemented(() => this.call("ConfigureStack", this.client.configureStack, req));
    }

    info(): Promise<AnalyzerInfo> {
        return this.infoCache().then((c) => c.info);
    }

    async configure(config?: PolicyPackConfig, options?: ReconcileOptions): Promise<Record<string, Record<string, unknown>>> {
        const { reconciler, initialConfig } = await this.infoCache();
        const effective = reconciler.reconcile(config ?? {}, initialConfig, options);
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(effective)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(levelToWire(c.enforcementLevel));
            // The pack calls getProperties().toJavaScript() unguarded: always send a Struct, even empty.
            pc.setProperties(toStruct(c.properties, `config of ${name}`));
            map.set(name, pc);
        }
        await this.call("Configure", this.client.configure, req);
        return flatten(effective);
    }

    async analyze(resource: ResourceInput): Promise<Diagnostic[]> {
        const request = this.encodeResource(new analyzerPb.AnalyzeRequest(), resource);
        const res = await this.call("Analyze", this.raw(ANALYZE_PATH), request, resource.urn);
        // The engine attributes a resource policy's violations to the resource it analyzed.
        return res.getDiagnosticsList().map((d) => toDiagnostic(d, resource.urn));
    }

    /**
     * AnalyzeStackRequest has one field, `repeated AnalyzerResource resources = 1`, so its encoding is each
     * resource's encoding behind a tag and a length. Encoding one resource at a time keeps no message tree for
     * the whole stack in memory (for a 100 MB export, google-protobuf's objects for it took gigabytes).
     */
    async analyzeStack(resources: ResourceInput[]): Promise<Diagnostic[]> {
        const parts: Uint8Array[] = [];
        for (const r of resources) {
            const ar = new analyzerPb.AnalyzerResource();
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList(r.dependencies ?? []);
            parts.push(...field(1, this.encodeResource(ar, r)));
        }
        const request = Buffer.concat(parts);
        parts.length = 0;
        const res = await this.call("AnalyzeStack", this.raw(ANALYZE_STACK_PATH), request);
        return res.getDiagnosticsList().map((d) => toDiagnostic(d));
    }

    /** A unary call whose request is already encoded; the answer is an AnalyzeResponse. */
    private raw(path: string): Unary<Buffer, pb.AnalyzeResponse> {
        return (request, metadata, options, callback) =>
            this.client.makeUnaryRequest(
                path,
                (encoded: Buffer) => encoded,
                (buf: Buffer) => analyzerPb.AnalyzeResponse.deserializeBinary(new Uint8Array(buf)),
                request,
                metadata,
                options,
                (err, response) => callback(err, response as pb.AnalyzeResponse),
            );
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.client.close();
        await this.pack.kill();
    }

    private infoCache(): Promise<InfoCache> {
        this.cached ??= this.call("GetAnalyzerInfo", this.client.getAnalyzerInfo, new emptyPb.Empty()).then((res) => {
            const info = toAnalyzerInfo(res);
            return { info, initialConfig: initialConfigOf(res), reconciler: new PolicyConfigReconciler(info.policies) };
        });
        return this.cached;
    }

    private properties(properties: Record<string, unknown>, urn: string): Buffer {
        try {
            return encodeStruct(properties ?? {});
        } catch (err) {
            if (err instanceof WireValueError) throw new Error(`cannot send ${urn} to the policy pack: property ${err.message}`);
            throw err;
        }
    }

    /**
     * One resource as Analyze and AnalyzeStack send it alike: type, URN, name, options and whatever the caller
     * set on `msg`, then properties (field 2) and provider (field 6) appended as encoded bytes. Protobuf decoders
     * accept fields in any order, and a Struct encoded directly costs a fraction of google-protobuf's objects.
     */
    private encodeResource(msg: pb.AnalyzeRequest | pb.AnalyzerResource, r: ResourceInput): Buffer {
        msg.setType(r.type);
        msg.setUrn(r.urn);
        msg.setName(r.name);
        msg.setOptions(resourceOptions(r));
        const parts = [msg.serializeBinary(), ...field(2, this.properties(r.properties, r.urn))];
        if (r.provider) parts.push(...field(6, this.encodeProvider(r.provider)));
        return Buffer.concat(parts);
    }

    private encodeProvider(p: ProviderInput): Buffer {
        const out = new analyzerPb.AnalyzerProviderResource();
        out.setType(p.type);
        out.setUrn(p.urn);
        out.setName(p.name);
        return Buffer.concat([out.serializeBinary(), ...field(2, this.properties(p.properties, p.urn))]);
    }

    private async tolerateUnimplemented(run: () => Promise<unknown>): Promise<void> {
        try {
            await run();
        } catch (err) {
            if ((err as { code?: number }).code !== grpc.status.UNIMPLEMENTED) throw err;
        }
    }

    private call<Req, Res>(method: string, fn: Unary<Req, Res>, request: Req, subject?: string): Promise<Res> {
        if (this.closed) return Promise.reject(new Error(`policy pack client is closed; cannot call ${method}`));
        const deadline = new Date(Date.now() + this.callTimeoutMs);
        return new Promise<Res>((resolve, reject) => {
            fn.call(this.client, request, new grpc.Metadata(), { deadline }, (err, res) => {
                if (!err) return resolve(res);
                // The process may still be flushing stderr; give it a moment so the message can say why.
                setTimeout(() => reject(this.describe(method, err, subject)), this.pack.exitDescription() ? 0 : 50);
            });
        });
    }

    private describe(method: string, err: grpcTypes.ServiceError, subject?: string): Error {
        const what = subject ? `${method} of ${subject}` : method;
        const exit = this.pack.exitDescription();
        if (exit) {
            const tail = this.pack.stderrSummary();
            return withCode(new Error(`policy pack ${exit} during ${what}${tail ? `: ${tail}` : ""}`), err.code);
        }
        if (err.code === grpc.status.DEADLINE_EXCEEDED) {
            return withCode(new Error(`policy pack did not answer ${what} within ${this.callTimeoutMs} ms`), err.code);
        }
        return withCode(new Error(`policy pack failed ${what}: ${packErrorLine(err.details || err.message)}`), err.code);
    }
}

const ANALYZE_PATH = "/pulumirpc.Analyzer/Analyze";
const ANALYZE_STACK_PATH = "/pulumirpc.Analyzer/AnalyzeStack";

/** `bytes` as length-delimited field `number` of an enclosing message: key and length, then the bytes themselves. */
function field(number: number, bytes: Uint8Array): Uint8Array[] {
    const head: number[] = [];
    for (let v of [(number << 3) | 2, bytes.length]) {
        while (v > 0x7f) {
            head.push((v & 0x7f) | 0x80);
            v = Math.floor(v / 128);
        }
        head.push(v);
    }
    return [Uint8Array.from(head), bytes];
}

function withCode(err: Error, code: number): Error {
    return Object.assign(err, { code });
}

/**
 * The policy SDK wraps a throwing policy's stack as "Error validating resource with policy 'x' …:\n<stack>";
 * the policy and the thrown message are what a user can act on, so keep the first two non-frame lines.
 */
function packErrorLine(details: string): string {
    const lines = details
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !/^at\s/.test(l));
    const line = lines.slice(0, 2).join(" ").replace(/:$/, "");
    return redactCredentials(line.length > 600 ? `${line.slice(0, 600)}…` : line);
}

function resourceOptions(r: ResourceInput): pb.AnalyzerResourceOptions {
    // Without options the pack answers "A more recent version of the Pulumi CLI is required".
    const opts = new analyzerPb.AnalyzerResourceOptions();
    opts.setProtect(r.protect ?? false);
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

function toDiagnostic(d: pb.AnalyzeDiagnostic, fallbackUrn?: string): Diagnostic {
    const urn = d.getUrn() || fallbackUrn;
    return {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: levelFromWire(d.getEnforcementlevel()),
        ...(urn ? { urn } : {}),
    };
}

function toAnalyzerInfo(res: pb.AnalyzerInfo): AnalyzerInfo {
    return {
        name: res.getName(),
        displayName: res.getDisplayname(),
        version: res.getVersion(),
        policies: res.getPoliciesList().map(toPolicyInfo),
    };
}

function toPolicyInfo(p: pb.PolicyInfo): PolicyInfo {
    const schema = p.getConfigschema();
    return {
        name: p.getName(),
        displayName: p.getDisplayname(),
        description: p.getDescription(),
        enforcementLevel: levelFromWire(p.getEnforcementlevel()),
        ...(schema
            ? {
                  configSchema: {
                      properties: fromStruct(schema.getProperties()),
                      ...(schema.getRequiredList().length ? { required: schema.getRequiredList() } : {}),
                  },
              }
            : {}),
    };
}

function initialConfigOf(res: pb.AnalyzerInfo): PolicyPackConfig {
    const out: PolicyPackConfig = {};
    res.getInitialconfigMap().forEach((c: pb.PolicyConfig, name: string) => {
        out[name] = { enforcementLevel: levelFromWire(c.getEnforcementlevel()), ...fromStruct(c.getProperties()) };
    });
    return out;
}

function flatten(config: EffectiveConfig): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, c] of Object.entries(config)) out[name] = { enforcementLevel: c.enforcementLevel, ...c.properties };
    return out;
}
