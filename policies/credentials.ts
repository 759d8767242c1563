/** no-hardcoded-aws-credentials: access keys written into resource inputs. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { redactCredentials } from "../src/core/access-keys";
import { scanForCredentials, type CredentialFinding } from "../src/core/credential-scan";
import { isUnknown, rawProps, readProp, resolvePulumiAssets } from "../src/core/pulumi-values";
import { boolOption, rawConfig, stringListOption, stringListSchema, strictSchema } from "./config";
import { guardResource } from "./guard";
import { IAM, SECRET_STORE, isProviderType } from "./resource-types";

export const NO_HARDCODED_AWS_CREDENTIALS = "no-hardcoded-aws-credentials";

/** Where a credential belongs. An SSM parameter counts only as a SecureString. */
export const DEFAULT_SECRET_STORE_TYPES: readonly string[] = [
    SECRET_STORE.secretVersion,
    SECRET_STORE.ssmParameter,
    SECRET_STORE.nativeSecret,
];

const MAX_LISTED = 10;

/**
 * Paths are property names the user chose, and a name can itself be a pasted credential: the scanner masks those
 * already, and this applies the same rules again rather than hiding every long identifier the user needs to read.
 */
function safePath(path: string): string {
    return path === "" ? "(the value itself)" : redactCredentials(path);
}

function describeFinding(f: CredentialFinding): string {
    if (f.kind === "secret-access-key") return `a secret access key at ${safePath(f.path)}`;
    const account = f.accountId ? `, belongs to AWS account ${f.accountId}` : "";
    return `access key ID ${f.masked} (${f.keyType} key${account}) at ${safePath(f.path)}`;
}

export function credentialsMessage(resourceName: string, type: string, findings: CredentialFinding[]): string {
    const listed = findings.slice(0, MAX_LISTED).map((f) => `  - ${describeFinding(f)}`);
    if (findings.length > MAX_LISTED) listed.push(`  - and ${findings.length - MAX_LISTED} more`);
    return [
        `Resource '${resourceName}' (${type}) has AWS credentials written into its inputs:`,
        ...listed,
        "Inputs end up in plain text in the resource's configuration at AWS and in every copy of the program; " +
            "marking the value as a Pulumi secret only encrypts the state, so it is flagged all the same.",
        "Fix: give the workload an IAM role (instance profile, task or execution role, IRSA) instead of keys, or keep " +
            "the value in AWS Secrets Manager or an SSM SecureString parameter and read it at run time. " +
            "Rotate the exposed key now (create a new one, deploy it, then deactivate and delete the old one): it is already in your source history.",
    ].join("\n");
}

/** True when the resource is a place secrets belong, per `secretStoreTypes`. */
function isSecretStore(type: string, props: Record<string, unknown>, storeTypes: readonly string[]): boolean {
    if (!storeTypes.includes(type)) return false;
    if (type !== SECRET_STORE.ssmParameter) return true;
    const paramType = readProp(props, "type");
    // An unknown parameter type during preview gets the benefit of the doubt: no false mandatory.
    return isUnknown(paramType) || paramType === "SecureString";
}

export const noHardcodedAwsCredentials: ResourceValidationPolicy = {
    name: NO_HARDCODED_AWS_CREDENTIALS,
    displayName: "No hard-coded AWS credentials",
    description:
        "Resource inputs must not contain AWS access key IDs (AKIA/ASIA/ABIA/ACCA) or secret access keys, at any depth, " +
        "including inside JSON/YAML strings and base64 (optionally gzipped) user data.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: strictSchema({
        allowExampleKeys: {
            type: "boolean",
            default: true,
            description: "Let AWS's documentation placeholder keys (AKIA…EXAMPLE, …EXAMPLEKEY) pass.",
        },
        secretStoreTypes: stringListSchema(
            DEFAULT_SECRET_STORE_TYPES,
            "Resource types where a secret belongs and is not flagged (aws:ssm/parameter:Parameter only as SecureString). An empty list scans them too.",
        ),
    }),
    validateResource: guardResource(NO_HARDCODED_AWS_CREDENTIALS, async (args, report) => {
        // An access key's own outputs are the key; provider config belongs to aws-provider-static-credentials.
        if (args.type === IAM.accessKey || isProviderType(args.type)) return;
        const config = rawConfig(args);
        const allowExamples = boolOption(config, "allowExampleKeys", true);
        const storeTypes = stringListOption(config, "secretStoreTypes", DEFAULT_SECRET_STORE_TYPES);
        const props = rawProps(args.props);
        if (isSecretStore(args.type, props, storeTypes)) return;
        // The policy SDK turns assets and archives (Lambda code, S3 object sources) into objects whose text is a promise.
        const assets = await resolvePulumiAssets(props);
        const findings = scanForCredentials(props, { assets }).filter((f) => !(allowExamples && f.example));
        if (findings.length === 0) return;
        report({ message: credentialsMessage(args.name, args.type, findings) });
    }),
};

export const credentialPolicies = [noHardcodedAwsCredentials];
