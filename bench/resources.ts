/**
 * Deterministic, realistic resource inputs for Analyze: the shapes where credentials hide in real stacks
 * (Lambda environment maps, ECS container definitions as JSON text, IAM policy documents, base64 user
 * data, tags). About 1 % carry a planted key so the finding path runs too, as it would in a leaky stack.
 */
import type { ProviderInput, ResourceInput } from "../src/engine";

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const WORDS = ["orders", "billing", "users", "search", "events", "audit", "media", "reports", "checkout", "inventory"];

function pick<T>(rnd: () => number, items: readonly T[]): T {
    return items[Math.floor(rnd() * items.length)];
}

function chars(rnd: () => number, alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    return s;
}

export function fakeKeyId(rnd: () => number): string {
    return `AKIA${pick(rnd, [..."QRSTUVWXYZ234567"])}${chars(rnd, BASE32, 15)}`;
}

export function fakeSecret(rnd: () => number): string {
    return `Xy9${chars(rnd, B64, 37)}`;
}

function tags(rnd: () => number, name: string): Record<string, string> {
    const t: Record<string, string> = {
        Name: name,
        team: pick(rnd, WORDS),
        env: pick(rnd, ["dev", "staging", "prod"]),
        "cost-center": `cc-${Math.floor(rnd() * 9000 + 1000)}`,
    };
    const extra = Math.floor(rnd() * 6);
    for (let i = 0; i < extra; i++) t[`app:${pick(rnd, WORDS)}:${i}`] = chars(rnd, "abcdefghijklmnopqrstuvwxyz-", 12);
    return t;
}

function envMap(rnd: () => number, leak: boolean): Record<string, string> {
    const vars: Record<string, string> = {
        NODE_ENV: "production",
        LOG_LEVEL: pick(rnd, ["info", "debug", "warn"]),
        TABLE_NAME: `${pick(rnd, WORDS)}-table`,
        QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/111122223333/${pick(rnd, WORDS)}`,
        // Secret-shaped but harmless values real stacks carry: commit hashes, build IDs.
        GIT_SHA: chars(rnd, "0123456789abcdef", 40),
        BUILD_ID: chars(rnd, B64.slice(0, 62), 24),
    };
    const n = 6 + Math.floor(rnd() * 30);
    for (let i = 0; i < n; i++)
        vars[`FEATURE_${pick(rnd, WORDS).toUpperCase()}_${i}`] = pick(rnd, ["true", "false", chars(rnd, "abcdefghij0123456789", 16)]);
    if (leak) {
        vars.AWS_ACCESS_KEY_ID = fakeKeyId(rnd);
        vars.AWS_SECRET_ACCESS_KEY = fakeSecret(rnd);
    }
    return vars;
}

function containerDefinitions(rnd: () => number, leak: boolean): string {
    const count = 1 + Math.floor(rnd() * 4);
    const defs = [];
    for (let c = 0; c < count; c++) {
        const env = Object.entries(envMap(rnd, leak && c === 0)).map(([name, value]) => ({ name, value }));
        defs.push({
            name: `${pick(rnd, WORDS)}-${c}`,
            image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/${pick(rnd, WORDS)}:${chars(rnd, "0123456789abcdef", 12)}`,
            cpu: 256,
            memory: 512,
            essential: c === 0,
            portMappings: [{ containerPort: 8080 + c, hostPort: 8080 + c, protocol: "tcp" }],
            environment: env,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": `/ecs/${pick(rnd, WORDS)}`, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" },
            },
        });
    }
    return JSON.stringify(defs);
}

function policyDocument(rnd: () => number): string {
    const statements = [];
    const n = 3 + Math.floor(rnd() * 8);
    for (let i = 0; i < n; i++) {
        const svc = pick(rnd, ["s3", "dynamodb", "sqs", "logs", "kms", "sns", "ssm"]);
        statements.push({
            Sid: `S${i}`,
            Effect: rnd() < 0.9 ? "Allow" : "Deny",
            Action: [`${svc}:Get*`, `${svc}:List*`, `${svc}:Describe*`].slice(0, 1 + Math.floor(rnd() * 3)),
            Resource: [`arn:aws:${svc}:us-east-1:111122223333:${pick(rnd, WORDS)}/*`],
            ...(rnd() < 0.3 ? { Condition: { StringEquals: { "aws:PrincipalTag/team": pick(rnd, WORDS) } } } : {}),
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function userData(rnd: () => number, leak: boolean): string {
    const lines = ["#!/bin/bash", "set -euo pipefail", "yum update -y", "yum install -y amazon-cloudwatch-agent docker"];
    const n = 40 + Math.floor(rnd() * 120);
    for (let i = 0; i < n; i++)
        lines.push(`echo "${pick(rnd, WORDS)}=${chars(rnd, "abcdefghijklmnop0123456789", 24)}" >> /etc/app/${pick(rnd, WORDS)}.conf`);
    if (leak) lines.push(`export AWS_ACCESS_KEY_ID=${fakeKeyId(rnd)}`, `export AWS_SECRET_ACCESS_KEY=${fakeSecret(rnd)}`);
    lines.push("systemctl enable --now docker");
    return Buffer.from(lines.join("\n")).toString("base64");
}

export function defaultProvider(region = "us-east-1"): ProviderInput {
    return {
        type: "pulumi:providers:aws",
        urn: "urn:pulumi:bench::app::pulumi:providers:aws::default_7_48_0",
        name: "default_7_48_0",
        properties: { region, skipCredentialsValidation: false, version: "7.48.0" },
    };
}

/** `count` resources, the same every run; `leakEvery`-th resources carry a planted credential. */
export function generateResources(count: number, seed = 20261122, leakEvery = 100): ResourceInput[] {
    const rnd = prng(seed);
    const provider = defaultProvider();
    const out: ResourceInput[] = [];
    // Planted keys go round the shapes that can carry one: Lambda env, ECS JSON, base64 user data.
    const leakRolls = [0.1, 0.3, 0.7];
    let leaks = 0;
    for (let i = 0; i < count; i++) {
        const leak = i % leakEvery === leakEvery - 1;
        const roll = leak ? leakRolls[leaks++ % leakRolls.length] : rnd();
        const name = `${pick(rnd, WORDS)}-${i}`;
        let type: string;
        let properties: Record<string, unknown>;
        if (roll < 0.25) {
            type = "aws:lambda/function:Function";
            properties = {
                name,
                runtime: "nodejs20.x",
                handler: "index.handler",
                role: `arn:aws:iam::111122223333:role/${name}`,
                memorySize: 256,
                timeout: 30,
                environment: { variables: envMap(rnd, leak) },
                tags: tags(rnd, name),
            };
        } else if (roll < 0.45) {
            type = "aws:ecs/taskDefinition:TaskDefinition";
            properties = {
                family: name,
                cpu: "512",
                memory: "1024",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                containerDefinitions: containerDefinitions(rnd, leak),
                tags: tags(rnd, name),
            };
        } else if (roll < 0.65) {
            type = rnd() < 0.5 ? "aws:iam/policy:Policy" : "aws:iam/rolePolicy:RolePolicy";
            properties = {
                name,
                policy: policyDocument(rnd),
                ...(type.endsWith("RolePolicy") ? { role: `${name}-role` } : { tags: tags(rnd, name) }),
            };
        } else if (roll < 0.8) {
            type = "aws:ec2/instance:Instance";
            properties = {
                ami: `ami-${chars(rnd, "0123456789abcdef", 17)}`,
                instanceType: pick(rnd, ["t3.micro", "m6i.large"]),
                userData: userData(rnd, leak),
                tags: tags(rnd, name),
            };
        } else {
            type = "aws:s3/bucket:Bucket";
            properties = {
                bucket: name,
                acl: "private",
                versioning: { enabled: rnd() < 0.5 },
                serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } },
                tags: tags(rnd, name),
            };
        }
        out.push({ urn: `urn:pulumi:bench::app::${type}::${name}`, type, name, properties, provider });
    }
    return out;
}
