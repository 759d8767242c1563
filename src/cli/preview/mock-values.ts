/**
 * Plausible cloud-side values for mocked resources (lookups.ts answers data sources). Deterministic (name based) so two previews
 * of the same program give the same report; never credential-shaped, so nothing here can trip the pack.
 */
import { createHash } from "crypto";
import { isProviderType } from "../../core/pulumi-values";

export const PREVIEW_ACCOUNT = "123456789012";

/** Services whose ARNs carry no region (IAM, Organizations) or no account either (S3 buckets). */
const GLOBAL_SERVICES = new Set(["iam", "organizations", "cloudfront", "route53", "shield", "waf"]);

function tokenParts(type: string): { pkg: string; module: string; kind: string } {
    const [pkg = "", mod = "", kind = ""] = type.split(":");
    return { pkg, module: mod.split("/")[0].toLowerCase(), kind: kind.charAt(0).toLowerCase() + kind.slice(1) };
}

function physicalName(name: string, inputs: Record<string, unknown>): string {
    for (const key of ["name", "bucket", "functionName", "roleName", "topicName", "queueName"]) {
        const value = inputs[key];
        if (typeof value === "string" && value !== "") return value;
    }
    return name;
}

/** A UUID-shaped id, as the engine gives provider resources. */
export function fakeUuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function mockId(type: string, name: string, inputs: Record<string, unknown>): string {
    if (isProviderType(type)) return fakeUuid(`${type}::${name}`);
    return physicalName(name, inputs);
}

export function mockArn(type: string, name: string, inputs: Record<string, unknown>, region: string): string | undefined {
    const { pkg, module, kind } = tokenParts(type);
    if (pkg !== "aws" && pkg !== "aws-native") return undefined;
    const resource = physicalName(name, inputs);
    const service = pkg === "aws" ? module : module.toLowerCase();
    if (service === "s3") return `arn:aws:s3:::${resource}`;
    if (service === "lambda") return `arn:aws:lambda:${region}:${PREVIEW_ACCOUNT}:function:${resource}`;
    if (service === "sns" || service === "sqs") return `arn:aws:${service}:${region}:${PREVIEW_ACCOUNT}:${resource}`;
    const where = GLOBAL_SERVICES.has(service) ? "" : region;
    return `arn:aws:${service}:${where}:${PREVIEW_ACCOUNT}:${kind}/${resource}`;
}
