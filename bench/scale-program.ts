/**
 * A generated Pulumi program of N resources for the offline preview at scale, written as JavaScript so that
 * the plain-mocks baseline needs no TypeScript compiler. Four resources per step, the shapes of a service
 * stack: a bucket, an execution role, an inline policy built from the bucket's ARN (an `apply`), and a Lambda
 * function using both; every 250th function carries a planted access key so the finding path runs too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fakeKeyId, fakeSecret, prng } from "./resources";

export function writeScaleProgram(dir: string, resources: number): void {
    const steps = Math.ceil(resources / 4);
    const rnd = prng(20261130);
    const leaks: Record<number, { id: string; secret: string }> = {};
    for (let i = 249; i < steps; i += 250) leaks[i] = { id: fakeKeyId(rnd), secret: fakeSecret(rnd) };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: scale\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), "config:\n  aws:region: us-east-1\n");
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `"use strict";
const aws = require("@pulumi/aws");
const leaks = ${JSON.stringify(leaks)};
for (let i = 0; i < ${steps}; i++) {
    const bucket = new aws.s3.Bucket("b" + i, { bucket: "scale-bucket-" + i, tags: { team: "t" + (i % 7), env: "prod" } });
    const role = new aws.iam.Role("r" + i, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
    });
    new aws.iam.RolePolicy("p" + i, {
        role: role.name,
        policy: bucket.arn.apply((arn) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: arn + "/*" }] }),
        ),
    });
    const variables = { BUCKET: bucket.bucket, LOG_LEVEL: "info", TABLE: "orders-" + i };
    if (leaks[i]) Object.assign(variables, { AWS_ACCESS_KEY_ID: leaks[i].id, AWS_SECRET_ACCESS_KEY: leaks[i].secret });
    new aws.lambda.Function("f" + i, {
        role: role.arn,
        runtime: "nodejs20.x",
        handler: "index.handler",
        s3Bucket: bucket.bucket,
        s3Key: "code.zip",
        environment: { variables },
    });
}
`,
    );
}
