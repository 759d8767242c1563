/**
 * The component package as the Pulumi engine meets it, without the CLI: the repository started as a plugin
 * (`node @pulumi/pulumi/cmd/run-plugin <repo> <engine-address>`, what `pulumi package add` and every program
 * using the package start through the Node.js language host), then over its ResourceProvider gRPC interface:
 *
 * - GetSchema: the schema Python, Go, .NET, Java and YAML SDKs are generated from. Every component, input and
 *   output has a type and a description; the stack's enums are named enums.
 * - Construct of RootGuardrails against a resource monitor (Pulumi's MockMonitor behind real gRPC): the provider
 *   registers the same resources, types and names, with the same inputs, as stacks/index.ts under
 *   `pulumi.runtime.setMocks` for the same configuration, and returns the stack's outputs.
 *
 * Needs dist/ (npm run build): run-plugin loads package.json `main`, the compiled index.js.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CONFIG_FREQUENCIES } from "../../src/core/aws-facts";
import { GUARDRAIL_MODES, REMEDIATION_ACTIONS } from "../../src/remediator/contract";
import { spawnPack, type PackProcess } from "../../src/engine/pack-process";
import { GUARDRAIL_OUTPUTS } from "../../stacks/components/guardrails";
import { CONFIG_KEYS } from "../../stacks/config";
import { fakeInvoke, fakeState, REPO_ROOT, runProgram, type RecordedResource } from "../stacks/helpers/program";
import { startMockEngine, type MockEngine } from "./helpers/mock-engine";
import { schemaProblems, type PackageSchema } from "./helpers/schema-checks";

const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const grpc: typeof import("@grpc/grpc-js") = require(require.resolve("@grpc/grpc-js", { paths: [stubDir] }));
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [stubDir] }));
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
const errorsPb = require("@pulumi/pulumi/proto/errors_pb");

/** The property errors the engine reads from a failed Construct (grpc-status-details-bin, InputPropertiesError). */
function inputPropertyErrors(err: { metadata?: { get(key: string): (string | Buffer)[] } }): { propertyPath: string; reason: string }[] {
    const [details] = err.metadata?.get("grpc-status-details-bin") ?? [];
    if (details === undefined) return [];
    const status = statusPb.Status.deserializeBinary(new Uint8Array(details as Buffer));
    return status
        .getDetailsList()
        .filter((any: any) => any.getTypeName() === "pulumirpc.InputPropertiesError")
        .flatMap((any: any) => errorsPb.InputPropertiesError.deserializeBinary(any.getValue_asU8()).getErrorsList())
        .map((e: any) => ({ propertyPath: e.getPropertyPath(), reason: e.getReason() }));
}

const PROJECT = "rootguard";
const STACK = "test";
const REGION = "eu-west-1";
const COMPONENTS = ["RootGuardrails", "RootCredentialRules", "AlertTopic", "RootActivityAlerts", "Remediator", "OrganizationGuardrails"];

/** What the resource monitor recorded of the provider's registrations (the fake AWS of tests/stacks). */
const registered: RecordedResource[] = [];
const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const result = fakeState(args, REGION);
        registered.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            state: result.state,
            id: result.id,
            custom: !!args.custom,
        });
        return result;
    },
    call: (args) => fakeInvoke(args.token, args.inputs),
};

function unary<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

const ASSET_CLASSES = new Set(["FileAsset", "StringAsset", "RemoteAsset", "AssetArchive", "FileArchive", "RemoteArchive"]);

/** The resource as a comparable line: type, name and inputs (an asset or archive by its class, not its bytes). */
function line(r: RecordedResource): string {
    const inputs = JSON.stringify(r.inputs, (_key, value) =>
        value && typeof value === "object" && ASSET_CLASSES.has(value.constructor?.name) ? `<${value.constructor.name}>` : value,
    );
    return `${r.type} ${r.name} ${inputs}`;
}

describe("component package: the provider over gRPC, as the engine starts it", function () {
    this.timeout(240_000);
    let engine: MockEngine;
    let provider: PackProcess;
    let client: any;
    let schema: PackageSchema;

    before(async function () {
        if (!fs.existsSync(path.join(REPO_ROOT, "dist/index.js"))) this.skip(); // npm test builds first
        engine = await startMockEngine(mocks, PROJECT, STACK);
        provider = await spawnPack(REPO_ROOT, { runPlugin: { engineAddress: engine.address } });
        client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${provider.port}`, grpc.credentials.createInsecure());
        const response = await unary<any>(client, "getSchema", new providerPb.GetSchemaRequest());
        schema = JSON.parse(response.getSchema());
        // The engine configures a provider before its first Construct.
        const configure = new providerPb.ConfigureRequest();
        configure.setAcceptsecrets(true);
        configure.setAcceptresources(true);
        configure.getVariablesMap().set("aws:region", REGION);
        const configured = await unary<any>(client, "configure", configure);
        assert.equal(configured.getAcceptsecrets(), true);
    });

    after(async () => {
        client?.close();
        await provider?.kill();
        await engine?.close();
    });

    it("GetSchema: six components, every input and output typed and described, the stack's enums named", () => {
        assert.equal(schema.name, "rootguard");
        assert.deepEqual(Object.keys(schema.resources).sort(), COMPONENTS.map((c) => `rootguard:index:${c}`).sort());
        assert.deepEqual(schemaProblems(schema), []);
        const enumValues = (name: string) => schema.types[`rootguard:index:${name}`].enum!.map((e) => e.value);
        assert.deepEqual(enumValues("GuardrailMode"), [...GUARDRAIL_MODES]);
        assert.deepEqual(enumValues("ConfigFrequency"), [...CONFIG_FREQUENCIES]);
        assert.deepEqual(enumValues("RemediationAction"), [...REMEDIATION_ACTIONS]);
        const counts = Object.values(schema.resources).reduce(
            (n, r) => ({
                inputs: n.inputs + Object.keys(r.inputProperties ?? {}).length,
                outputs: n.outputs + Object.keys(r.properties ?? {}).length,
            }),
            { inputs: 0, outputs: 0 },
        );
        console.log(
            `      schema: ${Object.keys(schema.resources).length} components, ${Object.keys(schema.types).length} types, ${counts.inputs} inputs, ${counts.outputs} outputs`,
        );
    });

    it("GetSchema: RootGuardrails takes every stack key with its description and requirement, and gives the stack's outputs", () => {
        const guardrails = schema.resources["rootguard:index:RootGuardrails"];
        assert.deepEqual(Object.keys(guardrails.inputProperties).sort(), [...Object.keys(CONFIG_KEYS), "region", "remediatorCode"].sort());
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
            const input = guardrails.inputProperties[key];
            assert.ok(input.description!.startsWith(spec.description.trim()), key);
            const want = spec.type === "integer" ? "number" : spec.type;
            if ("enum" in spec && spec.enum) assert.match(input.$ref!, /^#\/types\/rootguard:index:/, key);
            else assert.equal(input.type, want, key);
        }
        const required = Object.entries(CONFIG_KEYS).filter(([, s]) => s.default === undefined);
        assert.deepEqual(guardrails.requiredInputs, required.map(([k]) => k).sort());
        assert.deepEqual(Object.keys(guardrails.properties).sort(), [...GUARDRAIL_OUTPUTS].sort());
    });

    it("the schema check fails an input that lost its description or its type", () => {
        const damaged: PackageSchema = JSON.parse(JSON.stringify(schema));
        const inputs = damaged.resources["rootguard:index:Remediator"].inputProperties;
        delete inputs.namePrefix.description;
        inputs.topicArn = { $ref: "pulumi.json#/Any", description: inputs.topicArn.description };
        assert.deepEqual(schemaProblems(damaged), [
            "rootguard:index:Remediator input namePrefix has no description",
            "rootguard:index:Remediator input topicArn is untyped (pulumi.json#/Any)",
        ]);
    });

    it("the examples use only components, inputs, outputs and enum members the schema has", () => {
        const yaml = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "examples/guardrails-yaml/Pulumi.yaml"), "utf8"));
        assert.equal(yaml.packages.rootguard !== undefined, true);
        const used = new Map<string, string>();
        for (const [name, r] of Object.entries<any>(yaml.resources)) {
            const component = schema.resources[r.type];
            assert.ok(component, `${name}: ${r.type} is not in the schema`);
            used.set(name, r.type);
            for (const key of Object.keys(r.properties)) assert.ok(component.inputProperties[key], `${name}.${key} is not an input`);
            for (const key of component.requiredInputs ?? []) assert.ok(key in r.properties, `${name} lacks required ${key}`);
        }
        for (const [, ref] of JSON.stringify(yaml.outputs).matchAll(/\$\{(\w+\.\w+)\}/g)) {
            const [resource, output] = ref.split(".");
            assert.ok(schema.resources[used.get(resource)!]?.properties[output], `output ${ref}`);
        }

        // Python: snake_case keyword arguments and attributes, UPPER_SNAKE enum members (Pulumi's Python codegen).
        const python = fs.readFileSync(path.join(REPO_ROOT, "examples/guardrails-python/__main__.py"), "utf8");
        const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        const guardrails = schema.resources["rootguard:index:RootGuardrails"];
        const call = /rootguard\.RootGuardrails\(([\s\S]*?)\n\)/.exec(python)![1];
        const kwargs = [...call.matchAll(/^\s+(\w+)=/gm)].map((m) => m[1]);
        assert.ok(kwargs.includes("create_recorder"));
        for (const kw of kwargs)
            assert.ok(
                Object.keys(guardrails.inputProperties).some((k) => snake(k) === kw),
                kw,
            );
        for (const [, attr] of python.matchAll(/guardrails\.(\w+)/g))
            assert.ok(
                Object.keys(guardrails.properties).some((k) => snake(k) === attr),
                attr,
            );
        for (const [, type, member] of python.matchAll(/rootguard\.(ConfigFrequency|RemediationAction|GuardrailMode)\.(\w+)/g)) {
            const names = schema.types[`rootguard:index:${type}`].enum!.map((e) =>
                snake(e.name!).replace(/^_/, "").replace(/__/g, "_").toUpperCase(),
            );
            assert.ok(names.includes(member), `${type}.${member} (members: ${names.join(", ")})`);
        }
    });

    /** What the engine sends for `new rootguard.RootGuardrails(name, inputs)` in a program of this stack. */
    function constructRequest(name: string, inputs: Record<string, unknown>): unknown {
        const request = new providerPb.ConstructRequest();
        request.setProject(PROJECT);
        request.setStack(STACK);
        request.setMonitorendpoint(engine.address);
        request.setType("rootguard:index:RootGuardrails");
        request.setName(name);
        request.setParent(engine.stackUrn);
        request.setDryrun(false);
        request.setParallel(16);
        request.getConfigMap().set("aws:region", REGION);
        request.setInputs(structPb.Struct.fromJavaScript(inputs));
        return request;
    }

    const CONFIGS: Record<string, Record<string, unknown>> = {
        "account mode with a recorder and e-mail subscribers": {
            createRecorder: true,
            alertEmails: ["secops@example.com"],
            frequency: "Six_Hours",
        },
        "organization mode with trail, SCPs on the root, delete-unused": {
            mode: "organization",
            createRecorder: false,
            createTrail: true,
            scpTargets: ["r-a1b2"],
            denyAllRootActions: true,
            remediation: "delete-unused",
            unusedDays: 90,
            hardwareMfaRule: true,
            activityRegions: ["eu-central-1"],
        },
    };

    for (const [title, config] of Object.entries(CONFIGS)) {
        it(`Construct RootGuardrails (${title}) registers what the stack program does under mocks`, async () => {
            const program = await runProgram(config, { fresh: true });
            registered.length = 0;
            const response = await unary<any>(client, "construct", constructRequest("rootguard", config));

            assert.equal(response.getUrn(), `urn:pulumi:${STACK}::${PROJECT}::rootguard:index:RootGuardrails::rootguard`);
            const program_ = program.resources.map(line).sort();
            const constructed = registered.map(line).sort();
            assert.deepEqual(constructed, program_);
            const custom = registered.filter((r) => r.custom).length;
            console.log(
                `      ${registered.length} resources (${custom} custom) through Construct, ${program.resources.length} under mocks`,
            );

            const state = rpc.deserializeProperties(response.getState());
            for (const key of GUARDRAIL_OUTPUTS) assert.deepEqual(state[key], program.outputs[key], key);
            assert.deepEqual(
                engine.logs.filter((l) => l.severity === "error"),
                [],
            );
        });
    }

    it("Construct refuses a bad input naming the input, and registers nothing", async () => {
        registered.length = 0;
        await assert.rejects(
            unary(client, "construct", constructRequest("bad", { createRecorder: false, concurrency: 1 })),
            (err: Error & { code?: number; metadata?: { get(key: string): (string | Buffer)[] } }) => {
                assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
                assert.deepEqual(inputPropertyErrors(err), [
                    { propertyPath: "concurrency", reason: 'concurrency must be an integer from 2 to 1000 (got "1")' },
                ]);
                return true;
            },
        );
        assert.deepEqual(registered, []);
    });
});
