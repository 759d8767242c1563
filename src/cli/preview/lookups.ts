/**
 * Data sources (invokes) offline. A real preview asks the provider, which asks AWS; here nothing can, so the
 * common AWS lookups answer with values of the right shape: IDs in AWS's formats, ARNs in the stack's region and
 * partition and the preview account 123456789012, lists as long as the AZs, and the arguments echoed where the
 * provider echoes them. Values a user passes with `--lookup TOKEN=JSON` are laid over the answer (and are the
 * only answer for a lookup that has none here). Any other lookup stops the preview with an error naming it and
 * that flag: an invented answer to an unknown question would only move the failure somewhere harder to read.
 * Never credential-shaped, so nothing here can trip the pack.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { UserError } from "../errors";
import { partitionOf } from "../../core/regions";
import { PREVIEW_ACCOUNT, fakeUuid } from "./mock-values";

interface Context {
    region: string;
    partition: string;
    dnsSuffix: string;
    account: string;
    /** Deterministic per lookup and arguments, so two previews print the same plan. */
    seed: string;
}

type Args = Record<string, unknown>;
type Answer = (args: Args, ctx: Context) => Record<string, unknown>;

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** An EC2-style ID: `vpc-0123456789abcdef0`. */
function ec2Id(prefix: string, seed: string): string {
    return `${prefix}-0${hex(seed, 16)}`;
}

function arn(ctx: Context, service: string, resource: string): string {
    return `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.account}:${resource}`;
}

function str(value: unknown, fallback: string): string {
    return typeof value === "string" && value !== "" ? value : fallback;
}

function zones(ctx: Context): string[] {
    return ["a", "b", "c"].map((z) => ctx.region + z);
}

function vpc(args: Args, ctx: Context): Record<string, unknown> {
    const id = str(args.id, ec2Id("vpc", ctx.seed));
    return {
        ...args,
        id,
        arn: arn(ctx, "ec2", `vpc/${id}`),
        cidrBlock: str(args.cidrBlock, "10.0.0.0/16"),
        cidrBlockAssociations: [],
        default: args.default === true,
        dhcpOptionsId: ec2Id("dopt", ctx.seed),
        enableDnsHostnames: true,
        enableDnsSupport: true,
        instanceTenancy: "default",
        ipv6CidrBlockAssociations: [],
        mainRouteTableId: ec2Id("rtb", ctx.seed),
        ownerId: ctx.account,
        region: ctx.region,
        state: "available",
        tags: args.tags ?? {},
    };
}

function subnet(args: Args, ctx: Context): Record<string, unknown> {
    const id = str(args.id, ec2Id("subnet", ctx.seed));
    const az = str(args.availabilityZone, zones(ctx)[0]);
    return {
        ...args,
        id,
        arn: arn(ctx, "ec2", `subnet/${id}`),
        availabilityZone: az,
        availabilityZoneId: `${az.slice(0, -1).replace(/-/g, "")}-az1`,
        availableIpAddressCount: 251,
        cidrBlock: str(args.cidrBlock, "10.0.0.0/24"),
        defaultForAz: args.defaultForAz === true,
        mapPublicIpOnLaunch: false,
        ownerId: ctx.account,
        region: ctx.region,
        state: "available",
        tags: args.tags ?? {},
        vpcId: str(args.vpcId, ec2Id("vpc", "preview-vpc")),
    };
}

function securityGroup(args: Args, ctx: Context): Record<string, unknown> {
    const id = str(args.id, ec2Id("sg", ctx.seed));
    return {
        ...args,
        id,
        arn: arn(ctx, "ec2", `security-group/${id}`),
        name: str(args.name, "default"),
        description: "preview security group",
        region: ctx.region,
        tags: args.tags ?? {},
        vpcId: str(args.vpcId, ec2Id("vpc", "preview-vpc")),
    };
}

function ami(args: Args, ctx: Context): Record<string, unknown> {
    const id = ec2Id("ami", ctx.seed);
    const name = "preview-image";
    return {
        ...args,
        id,
        imageId: id,
        arn: `arn:${ctx.partition}:ec2:${ctx.region}::image/${id}`,
        architecture: "x86_64",
        blockDeviceMappings: [],
        creationDate: "2026-01-01T00:00:00.000Z",
        description: name,
        enaSupport: true,
        hypervisor: "xen",
        imageLocation: `amazon/${name}`,
        imageOwnerAlias: "amazon",
        imageType: "machine",
        name,
        ownerId: Array.isArray(args.owners) && typeof args.owners[0] === "string" ? args.owners[0] : "137112412989",
        platformDetails: "Linux/UNIX",
        productCodes: [],
        public: true,
        region: ctx.region,
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        state: "available",
        tags: {},
        virtualizationType: "hvm",
    };
}

/**
 * AWS's public parameters (`/aws/service/...`) that programs read for machine images: the ECS- and EKS-optimized
 * `.../recommended` ones hold a JSON document with `image_id`, and AMI aliases an image ID (as documented in the
 * ECS and EKS guides' "Retrieving optimized AMI metadata" pages).
 */
function publicParameter(name: string, ctx: Context): string | undefined {
    if (!name.startsWith("/aws/service/")) return undefined;
    const imageId = ec2Id("ami", ctx.seed);
    if (name.endsWith("/recommended")) {
        return JSON.stringify({ image_id: imageId, image_name: "preview-optimized-ami", os: "Amazon Linux 2", schema_version: 1 });
    }
    return /ami|image_id$/.test(name) ? imageId : undefined;
}

function named(args: Args, key: string, fallback: string): string {
    return str(args[key], str(args.name, fallback));
}

const ANSWERS: Record<string, Answer> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_a, c) => ({
        accountId: c.account,
        arn: `arn:${c.partition}:iam::${c.account}:user/preview`,
        userId: "AIDAPREVIEWUSERID0000",
        id: c.account,
    }),
    "aws:index/getRegion:getRegion": (a, c) => {
        const region = str(a.region ?? a.name, c.region);
        return { ...a, name: region, region, id: region, endpoint: `ec2.${region}.${c.dnsSuffix}`, description: region };
    },
    "aws:index/getPartition:getPartition": (_a, c) => ({
        partition: c.partition,
        dnsSuffix: c.dnsSuffix,
        reverseDnsPrefix: c.dnsSuffix.split(".").reverse().join("."),
        id: c.partition,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (a, c) => ({
        ...a,
        names: zones(c),
        zoneIds: zones(c).map((_z, i) => `${c.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
        groupNames: [c.region],
        id: c.region,
        region: c.region,
    }),
    "aws:index/getAvailabilityZone:getAvailabilityZone": (a, c) => {
        const name = str(a.name, zones(c)[0]);
        return {
            ...a,
            name,
            nameSuffix: name.slice(-1),
            zoneId: `${c.region}-az1`,
            groupName: c.region,
            region: c.region,
            state: "available",
            zoneType: "availability-zone",
            id: name,
        };
    },
    "aws:index/getDefaultTags:getDefaultTags": (_a, c) => ({ tags: {}, id: c.partition }),
    "aws:index/getServicePrincipal:getServicePrincipal": (a, c) => {
        const service = str(a.serviceName, "service");
        return { ...a, name: `${service}.${c.dnsSuffix}`, suffix: c.dnsSuffix, region: c.region, id: `${service}.${c.dnsSuffix}` };
    },
    "aws:index/getArn:getArn": (a) => {
        const text = str(a.arn, "");
        const [, partition = "", service = "", region = "", account = "", ...rest] = text.split(":");
        return { arn: text, partition, service, region, account, resource: rest.join(":"), id: text };
    },
    "aws:ec2/getVpc:getVpc": vpc,
    "aws:ec2/getVpcs:getVpcs": (a, c) => ({ ...a, ids: [ec2Id("vpc", c.seed)], id: c.region, region: c.region, tags: a.tags ?? {} }),
    "aws:ec2/getSubnet:getSubnet": subnet,
    "aws:ec2/getSubnets:getSubnets": (a, c) => ({
        ...a,
        ids: zones(c).map((z) => ec2Id("subnet", `${c.seed}${z}`)),
        id: c.region,
        region: c.region,
        tags: a.tags ?? {},
    }),
    "aws:ec2/getSecurityGroup:getSecurityGroup": securityGroup,
    "aws:ec2/getSecurityGroups:getSecurityGroups": (a, c) => {
        const id = ec2Id("sg", c.seed);
        return {
            ...a,
            ids: [id],
            arns: [arn(c, "ec2", `security-group/${id}`)],
            vpcIds: [ec2Id("vpc", "preview-vpc")],
            id: c.region,
            region: c.region,
        };
    },
    "aws:ec2/getAmi:getAmi": ami,
    "aws:ec2/getAmiIds:getAmiIds": (a, c) => ({ ...a, ids: [ec2Id("ami", c.seed)], id: c.region, region: c.region }),
    "aws:ec2/getInternetGateway:getInternetGateway": (a, c) => {
        const id = str(a.internetGatewayId, ec2Id("igw", c.seed));
        return {
            ...a,
            id,
            internetGatewayId: id,
            arn: arn(c, "ec2", `internet-gateway/${id}`),
            attachments: [],
            ownerId: c.account,
            region: c.region,
            tags: a.tags ?? {},
        };
    },
    "aws:ec2/getRouteTable:getRouteTable": (a, c) => {
        const id = str(a.routeTableId, ec2Id("rtb", c.seed));
        return {
            ...a,
            id,
            routeTableId: id,
            arn: arn(c, "ec2", `route-table/${id}`),
            associations: [],
            routes: [],
            ownerId: c.account,
            region: c.region,
            tags: a.tags ?? {},
            vpcId: str(a.vpcId, ec2Id("vpc", "preview-vpc")),
        };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (a) => {
        const json = renderPolicyDocument(a);
        return { ...a, json, minifiedJson: json, id: fakeUuid(json) };
    },
    "aws:iam/getRole:getRole": (a, c) => {
        const name = named(a, "name", "preview-role");
        return {
            ...a,
            name,
            id: name,
            arn: `arn:${c.partition}:iam::${c.account}:role/${name}`,
            assumeRolePolicy: "{}",
            createDate: "2026-01-01T00:00:00Z",
            maxSessionDuration: 3600,
            path: "/",
            uniqueId: "AROAPREVIEWROLEID0000",
            tags: {},
        };
    },
    "aws:iam/getPolicy:getPolicy": (a, c) => {
        const name = str(a.name, str(a.arn, "preview-policy").split("/").pop() as string);
        const policyArn = str(a.arn, `arn:${c.partition}:iam::${c.account}:policy/${name}`);
        return {
            ...a,
            name,
            arn: policyArn,
            id: policyArn,
            path: "/",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
            policyId: "ANPAPREVIEWPOLICYID00",
            attachmentCount: 0,
            description: "",
            tags: {},
        };
    },
    "aws:iam/getUser:getUser": (a, c) => {
        const userName = str(a.userName, "preview-user");
        return {
            ...a,
            userName,
            id: userName,
            arn: `arn:${c.partition}:iam::${c.account}:user/${userName}`,
            path: "/",
            userId: "AIDAPREVIEWUSERID0000",
            tags: {},
        };
    },
    "aws:iam/getSessionContext:getSessionContext": (a) => {
        const text = str(a.arn, "");
        return {
            ...a,
            id: text,
            issuerArn: text,
            issuerId: "AROAPREVIEWROLEID0000",
            issuerName: text.split("/").pop() ?? "",
            sessionName: "",
        };
    },
    "aws:iam/getInstanceProfile:getInstanceProfile": (a, c) => {
        const name = str(a.name, "preview-profile");
        return {
            ...a,
            name,
            id: name,
            arn: `arn:${c.partition}:iam::${c.account}:instance-profile/${name}`,
            path: "/",
            roleArn: `arn:${c.partition}:iam::${c.account}:role/${name}`,
            roleId: "AROAPREVIEWROLEID0000",
            roleName: name,
            createDate: "2026-01-01T00:00:00Z",
        };
    },
    "aws:iam/getAccountAlias:getAccountAlias": (_a, c) => ({ accountAlias: "preview", id: c.account }),
    "aws:route53/getZone:getZone": (a, c) => {
        const name = str(a.name, "example.com").replace(/\.$/, "");
        const zoneId = str(a.zoneId, `Z${hex(c.seed, 20).toUpperCase()}`);
        return {
            ...a,
            name,
            zoneId,
            id: zoneId,
            arn: `arn:${c.partition}:route53:::hostedzone/${zoneId}`,
            nameServers: ["ns-1.awsdns-00.com"],
            primaryNameServer: "ns-1.awsdns-00.com",
            privateZone: a.privateZone === true,
            resourceRecordSetCount: 2,
            callerReference: "preview",
            comment: "",
            tags: a.tags ?? {},
        };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (a, c) => {
        const registryId = str(a.registryId, c.account);
        return {
            ...a,
            registryId,
            id: c.region,
            region: c.region,
            userName: "AWS",
            password: "preview-registry-password",
            authorizationToken: "cHJldmlldw==",
            expiresAt: "2026-01-01T12:00:00Z",
            proxyEndpoint: `https://${registryId}.dkr.ecr.${c.region}.${c.dnsSuffix}`,
        };
    },
    "aws:ecr/getRepository:getRepository": (a, c) => {
        const name = str(a.name, "preview");
        const registryId = str(a.registryId, c.account);
        return {
            ...a,
            name,
            registryId,
            id: name,
            arn: arn(c, "ecr", `repository/${name}`),
            repositoryUrl: `${registryId}.dkr.ecr.${c.region}.${c.dnsSuffix}/${name}`,
            imageTagMutability: "MUTABLE",
            mostRecentImageTags: [],
            encryptionConfigurations: [],
            imageScanningConfigurations: [],
            region: c.region,
            tags: {},
        };
    },
    "aws:kms/getKey:getKey": (a, c) => {
        const keyId = fakeUuid(`${c.seed}key`);
        return {
            ...a,
            keyId,
            id: keyId,
            arn: arn(c, "kms", `key/${keyId}`),
            awsAccountId: c.account,
            enabled: true,
            keyManager: "CUSTOMER",
            keySpec: "SYMMETRIC_DEFAULT",
            keyState: "Enabled",
            keyUsage: "ENCRYPT_DECRYPT",
            multiRegion: false,
            origin: "AWS_KMS",
            description: "",
            region: c.region,
        };
    },
    "aws:kms/getAlias:getAlias": (a, c) => {
        const name = str(a.name, "alias/preview");
        const keyId = fakeUuid(`${c.seed}key`);
        return {
            ...a,
            name,
            id: arn(c, "kms", name),
            arn: arn(c, "kms", name),
            targetKeyId: keyId,
            targetKeyArn: arn(c, "kms", `key/${keyId}`),
            region: c.region,
        };
    },
    "aws:acm/getCertificate:getCertificate": (a, c) => {
        const id = fakeUuid(`${c.seed}cert`);
        return {
            ...a,
            domain: str(a.domain, "example.com"),
            id: arn(c, "acm", `certificate/${id}`),
            arn: arn(c, "acm", `certificate/${id}`),
            status: "ISSUED",
            certificate: "",
            certificateChain: "",
            region: c.region,
            tags: a.tags ?? {},
        };
    },
    "aws:s3/getBucket:getBucket": (a, c) => {
        const bucket = str(a.bucket, "preview-bucket");
        return {
            ...a,
            bucket,
            id: bucket,
            arn: `arn:${c.partition}:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.${c.dnsSuffix}`,
            bucketRegionalDomainName: `${bucket}.s3.${c.region}.${c.dnsSuffix}`,
            bucketRegion: c.region,
            hostedZoneId: "Z3AQBSTGFYJSTF",
            region: c.region,
            websiteDomain: "",
            websiteEndpoint: "",
        };
    },
    "aws:ssm/getParameter:getParameter": (a, c) => {
        const name = str(a.name, "/preview");
        const value = publicParameter(name, c) ?? "preview-value";
        return {
            ...a,
            name,
            id: name,
            arn: arn(c, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`),
            type: "String",
            value,
            insecureValue: value,
            version: 1,
            region: c.region,
        };
    },
    "aws:secretsmanager/getSecret:getSecret": (a, c) => {
        const name = str(a.name, str(a.arn, "preview-secret").split(":").pop() as string);
        const secretArn = str(a.arn, arn(c, "secretsmanager", `secret:${name}-AbCdEf`));
        return {
            ...a,
            name,
            arn: secretArn,
            id: secretArn,
            description: "",
            kmsKeyId: "",
            policy: "",
            createdDate: "2026-01-01T00:00:00Z",
            lastChangedDate: "2026-01-01T00:00:00Z",
            region: c.region,
            tags: {},
        };
    },
    "aws:secretsmanager/getSecretVersion:getSecretVersion": (a, c) => {
        const secretId = str(a.secretId, "preview-secret");
        const secretArn = secretId.startsWith("arn:") ? secretId : arn(c, "secretsmanager", `secret:${secretId}-AbCdEf`);
        return {
            ...a,
            secretId,
            arn: secretArn,
            secretArn,
            id: `${secretArn}|AWSCURRENT`,
            secretString: "{}",
            secretBinary: "",
            versionId: fakeUuid(`${c.seed}version`),
            versionStages: ["AWSCURRENT"],
            createdDate: "2026-01-01T00:00:00Z",
            region: c.region,
        };
    },
    "aws:organizations/getOrganization:getOrganization": (_a, c) => {
        const id = `o-${hex(c.seed, 10)}`;
        return {
            id,
            arn: `arn:${c.partition}:organizations::${c.account}:organization/${id}`,
            accounts: [],
            nonMasterAccounts: [],
            awsServiceAccessPrincipals: [],
            enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
            featureSet: "ALL",
            masterAccountArn: `arn:${c.partition}:organizations::${c.account}:account/${id}/${c.account}`,
            masterAccountEmail: "management@example.com",
            masterAccountId: c.account,
            masterAccountName: "management",
            roots: [
                {
                    id: `r-${hex(c.seed, 4)}`,
                    arn: `arn:${c.partition}:organizations::${c.account}:root/${id}/r-${hex(c.seed, 4)}`,
                    name: "Root",
                    policyTypes: [],
                },
            ],
        };
    },
    "aws:eks/getCluster:getCluster": (a, c) => {
        const name = str(a.name, "preview");
        return {
            ...a,
            name,
            id: name,
            arn: arn(c, "eks", `cluster/${name}`),
            endpoint: `https://${hex(c.seed, 32).toUpperCase()}.gr7.${c.region}.eks.${c.dnsSuffix}`,
            certificateAuthorities: [{ data: "" }],
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${c.region}.${c.dnsSuffix}/id/${hex(c.seed, 32).toUpperCase()}` }] }],
            roleArn: `arn:${c.partition}:iam::${c.account}:role/${name}-cluster`,
            status: "ACTIVE",
            version: "1.31",
            platformVersion: "eks.1",
            vpcConfig: {
                subnetIds: [],
                securityGroupIds: [],
                clusterSecurityGroupId: ec2Id("sg", c.seed),
                vpcId: ec2Id("vpc", "preview-vpc"),
                endpointPrivateAccess: false,
                endpointPublicAccess: true,
                publicAccessCidrs: ["0.0.0.0/0"],
            },
            region: c.region,
            tags: {},
        };
    },
    "aws:eks/getClusterAuth:getClusterAuth": (a, c) => ({ ...a, id: str(a.name, "preview"), token: "preview-token", region: c.region }),
    "aws:ecs/getCluster:getCluster": (a, c) => {
        const name = str(a.clusterName, "preview");
        return {
            ...a,
            clusterName: name,
            id: arn(c, "ecs", `cluster/${name}`),
            arn: arn(c, "ecs", `cluster/${name}`),
            status: "ACTIVE",
            pendingTasksCount: 0,
            runningTasksCount: 0,
            registeredContainerInstancesCount: 0,
            serviceConnectDefaults: [],
            settings: [],
            region: c.region,
            tags: {},
        };
    },
    "aws:lambda/getFunction:getFunction": (a, c) => {
        const name = str(a.functionName, "preview");
        const fnArn = arn(c, "lambda", `function:${name}`);
        return {
            ...a,
            functionName: name,
            id: name,
            arn: fnArn,
            qualifiedArn: `${fnArn}:$LATEST`,
            invokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
            handler: "index.handler",
            runtime: "nodejs22.x",
            role: `arn:${c.partition}:iam::${c.account}:role/${name}`,
            memorySize: 128,
            timeout: 3,
            version: "$LATEST",
            architectures: ["x86_64"],
            layers: [],
            region: c.region,
            tags: {},
        };
    },
    "aws:elb/getServiceAccount:getServiceAccount": (a, c) => ({
        ...a,
        id: "127311923021",
        arn: `arn:${c.partition}:iam::127311923021:root`,
        region: c.region,
    }),
    "aws:sns/getTopic:getTopic": (a, c) => {
        const name = str(a.name, "preview");
        return { ...a, name, id: arn(c, "sns", name), arn: arn(c, "sns", name), region: c.region, tags: {} };
    },
    "aws:sqs/getQueue:getQueue": (a, c) => {
        const name = str(a.name, "preview");
        return {
            ...a,
            name,
            id: `https://sqs.${c.region}.${c.dnsSuffix}/${c.account}/${name}`,
            url: `https://sqs.${c.region}.${c.dnsSuffix}/${c.account}/${name}`,
            arn: arn(c, "sqs", name),
            region: c.region,
            tags: {},
        };
    },
    "aws:cloudwatch/getLogGroup:getLogGroup": (a, c) => {
        const name = str(a.name, "/preview");
        return {
            ...a,
            name,
            id: name,
            arn: arn(c, "logs", `log-group:${name}`),
            creationTime: 0,
            retentionInDays: 0,
            kmsKeyId: "",
            logGroupClass: "STANDARD",
            region: c.region,
            tags: {},
        };
    },
    "aws-native:index:getAccountId": (_a, c) => ({ accountId: c.account }),
    "aws-native:index:getRegion": (_a, c) => ({ region: c.region }),
    "aws-native:index:getPartition": (_a, c) => ({ partition: c.partition }),
    "aws-native:index:getAzs": (_a, c) => ({ azs: zones(c) }),
    "aws-native:index:getUrnSuffix": (_a, c) => ({ urnSuffix: c.dnsSuffix }),
    // Fn::Cidr, which needs no cloud: computed exactly.
    "aws-native:index:cidr": (a) => ({ subnets: cidrSubnets(String(a.ipBlock), Number(a.count), Number(a.cidrBits)) }),
};

/**
 * CloudFormation's Fn::Cidr: `count` consecutive blocks of 2^cidrBits addresses from the start of `ipBlock`
 * (IPv4 or IPv6), as the function documents it.
 */
export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] {
    const [address, prefixText] = ipBlock.split("/");
    const v6 = address.includes(":");
    const width = v6 ? 128 : 32;
    const prefix = Number(prefixText);
    const newPrefix = width - cidrBits;
    if (
        !Number.isInteger(count) ||
        count < 1 ||
        !Number.isInteger(cidrBits) ||
        Number.isNaN(prefix) ||
        newPrefix < prefix ||
        newPrefix > width
    ) {
        throw new Error(`cidr: cannot split ${ipBlock} into ${count} blocks of ${cidrBits} host bits`);
    }
    const base = (v6 ? parseIpv6(address) : parseIpv4(address)) & ~((1n << BigInt(width - prefix)) - 1n);
    if (BigInt(count) > 1n << BigInt(newPrefix - prefix))
        throw new Error(`cidr: ${ipBlock} holds fewer than ${count} /${newPrefix} blocks`);
    const out: string[] = [];
    for (let i = 0n; i < BigInt(count); i++) {
        const start = base + (i << BigInt(cidrBits));
        out.push(`${v6 ? formatIpv6(start) : formatIpv4(start)}/${newPrefix}`);
    }
    return out;
}

function parseIpv4(text: string): bigint {
    return text.split(".").reduce((n, part) => (n << 8n) + BigInt(Number(part)), 0n);
}

function formatIpv4(n: bigint): string {
    return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join(".");
}

function parseIpv6(text: string): bigint {
    const [head, tail = ""] = text.split("::");
    const groups = (part: string) => (part === "" ? [] : part.split(":"));
    const left = groups(head);
    const right = text.includes("::") ? groups(tail) : [];
    const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
    return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952 form: lower case, no leading zeros, the longest run of zero groups as `::`. */
function formatIpv6(n: bigint): string {
    const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(16 * (7 - i))) & 0xffffn));
    let best = { at: -1, len: 0 };
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0) j++;
        if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
        i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (best.at < 0) return hex.join(":");
    return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

/** Tokens with an offline answer: for tests and docs. */
export const ANSWERED_LOOKUPS: readonly string[] = Object.keys(ANSWERS);

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
function renderPolicyDocument(inputs: Args): string {
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

const PARTITION_DNS: Record<string, string> = { aws: "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com" };

/** The `--lookup` flag's example for a token, as the error shows it. */
export function lookupFlagExample(token: string): string {
    return `--lookup '${token}={"id":"…"}'`;
}

/** What a lookup returns offline: the user's value laid over the plausible one; an Error when neither exists. */
export function mockLookup(token: string, args: Args, region: string, given: Record<string, Args> = {}): Record<string, unknown> {
    const answer = ANSWERS[token];
    const user = given[token];
    if (!answer && !user) {
        throw new Error(
            `lookup ${token} has no offline value: rootguard cannot ask the cloud, and invents answers only for common AWS lookups. ` +
                `Pass what it should return as JSON with ${lookupFlagExample(token)} (or TOKEN=@file.json)`,
        );
    }
    const partition = partitionOf(region) ?? "aws";
    const ctx: Context = {
        region,
        partition,
        dnsSuffix: PARTITION_DNS[partition] ?? "amazonaws.com",
        account: PREVIEW_ACCOUNT,
        seed: `${token}${JSON.stringify(args)}`,
    };
    return { ...(answer ? answer(args, ctx) : args), ...user };
}

/** `--lookup TOKEN=JSON` or `--lookup TOKEN=@file.json` (repeatable): what a lookup returns offline. */
export function parseLookupFlags(values: string[]): Record<string, Args> {
    const out: Record<string, Args> = {};
    for (const text of values) {
        const eq = text.indexOf("=");
        const token = text.slice(0, eq);
        if (eq <= 0 || !/^[^:\s]+:[^:\s]*:[^:\s]+$/.test(token)) {
            throw new UserError(`--lookup expects TOKEN=JSON, e.g. ${lookupFlagExample("aws:ec2/getVpc:getVpc")}; got '${text}'`);
        }
        let json = text.slice(eq + 1);
        if (json.startsWith("@")) {
            try {
                json = fs.readFileSync(json.slice(1), "utf8");
            } catch (err) {
                throw new UserError(
                    `--lookup ${token}: cannot read ${json.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
                );
            }
        }
        let value: unknown;
        try {
            value = JSON.parse(json);
        } catch (err) {
            throw new UserError(`--lookup ${token}: not valid JSON: ${(err as Error).message}`);
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new UserError(`--lookup ${token}: the value must be a JSON object (the lookup's result fields)`);
        }
        out[token] = value as Args;
    }
    return out;
}
