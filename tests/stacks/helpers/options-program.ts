/**
 * A program for runProgram({ entry }) that deploys RootGuardrails as stacks/index.ts does, and also records the
 * resource options each resource got (retainOnDelete, protect, dependsOn). The mock monitor does not pass
 * options to the mocks; Pulumi's resource transformations run in the program and see them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RootGuardrails } from "../../../stacks/components";
import { ConfigKey, parseConfig } from "../../../stacks/config";

export interface RecordedOptions {
    type: string;
    name: string;
    retainOnDelete: boolean;
    protect: boolean;
    /** Logical names of the explicit dependencies. */
    dependsOn: string[];
}

const recorded: RecordedOptions[] = [];
const names = new Map<unknown, string>();

const record: pulumi.ResourceTransformation = ({ resource, type, name, opts }) => {
    names.set(resource, name);
    const deps = opts.dependsOn === undefined ? [] : Array.isArray(opts.dependsOn) ? opts.dependsOn : [opts.dependsOn];
    recorded.push({
        type,
        name,
        retainOnDelete: opts.retainOnDelete === true,
        protect: opts.protect === true,
        dependsOn: deps.map((d) => names.get(d) ?? "<not a resource of this program>"),
    });
    return undefined;
};

const cfg = new pulumi.Config("rootguard");
const { notices: _, ...config } = parseConfig((key: ConfigKey) => cfg.get(key), aws.config.region);
new RootGuardrails("rootguard", config, { transformations: [record] });

export const options = recorded;
