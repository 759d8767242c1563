/**
 * Plausible cloud-side values for mocked resources and calls. Deterministic (name based) so two previews
 * of the same program give the same report; never credential-shaped, so nothing here can trip the pack.
 */
import { createHash } from "crypto";
import { isProviderType } from "../../core/pulumi-values";

const PREVIEW_ACCOUNT = "123456789012";
const PREVIEW_ORGANIZATION = "o-preview000";

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

interface Statement {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: { type: string; identifiers: string[] }[];
    conditions?: { test: string; variable: string; values: string[] }[];
}

function one<T>(values: T[]): T | T[] {
    return values.length === 1 ? values[0] : values;
}

/** `aws.iam.getPolicyDocument`, rendered locally so programs that build policies this way still preview. */
function renderPolicyDocument(inputs: Record<string, unknown>): string {
    const statements = (Array.isArray(inputs.statements) ? inputs.statements : []) as Statement[];
    const doc = {
        Version: typeof inputs.version === "string" ? inputs.version : "2012-10-17",
        Statement: statements.map((s) => {
            const out: Record<string, unknown> = {};
            if (s.sid) out.Sid = s.sid;
            out.Effect = s.effect ?? "Allow";
            if (s.actions) out.Action = one(s.actions);
            if (s.notActions) out.NotAction = one(s.notActions);
            if (s.resources) out.Resource = one(s.resources);
            if (s.notResources) out.NotResource = one(s.notResources);
            if (s.principals) {
                const principal: Record<string, unknown> = {};
                for (const p of s.principals) principal[p.type] = one(p.identifiers);
                out.Principal = principal;
            }
            if (s.conditions) {
                const condition: Record<string, Record<string, unknown>> = {};
                for (const c of s.conditions) (condition[c.test] ??= {})[c.variable] = one(c.values);
                out.Condition = condition;
            }
            return out;
        }),
    };
    return JSON.stringify(doc);
}

/** Results for the data sources programs commonly call; anything else echoes its arguments. */
export function mockCall(token: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: PREVIEW_ACCOUNT,
                arn: `arn:aws:iam::${PREVIEW_ACCOUNT}:user/preview`,
                userId: "preview",
                id: PREVIEW_ACCOUNT,
            };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:organizations/getOrganization:getOrganization":
            return {
                id: PREVIEW_ORGANIZATION,
                arn: `arn:aws:organizations::${PREVIEW_ACCOUNT}:organization/${PREVIEW_ORGANIZATION}`,
                masterAccountId: PREVIEW_ACCOUNT,
                featureSet: "ALL",
                roots: [
                    {
                        id: "r-prev",
                        name: "Root",
                        arn: `arn:aws:organizations::${PREVIEW_ACCOUNT}:root/${PREVIEW_ORGANIZATION}/r-prev`,
                        policyTypes: [],
                    },
                ],
            };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: ["a", "b", "c"].map((z) => region + z), zoneIds: [], id: region };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const json = renderPolicyDocument(inputs);
            return { json, minifiedJson: json, id: fakeUuid(json) };
        }
        case "aws-native:index:getAccountId":
            return { accountId: PREVIEW_ACCOUNT };
        case "aws-native:index:getRegion":
            return { region };
        default:
            return inputs;
    }
}
