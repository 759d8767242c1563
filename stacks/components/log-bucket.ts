/**
 * A private S3 bucket for logs an AWS service delivers (Config snapshots, CloudTrail logs): owner-enforced, no
 * public access, versioned, SSE-KMS with a bucket key, TLS only, plus the service's own delivery statements.
 * Resource names are `<name>-bucket`, `<name>-ownership`, … so callers keep stable URNs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument, Statement } from "./policy-document";

export interface LogBucketArgs {
    bucketName: pulumi.Input<string>;
    /** A customer managed key; default: the S3 AWS managed key. */
    kmsKeyArn?: pulumi.Input<string>;
    /** The delivering service's statements, given the bucket's ARN. */
    statements: (bucketArn: pulumi.Output<string>) => Statement[];
}

export function logBucket(
    name: string,
    args: LogBucketArgs,
    opts: pulumi.CustomResourceOptions,
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, forceDestroy: false }, opts);
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true },
            ],
        },
        opts,
    );
    const policy = new aws.s3.BucketPolicy(
        `${name}-bucket-policy`,
        {
            bucket: bucket.id,
            policy: policyDocument([
                denyInsecureTransport("s3", [bucket.arn, pulumi.interpolate`${bucket.arn}/*`]),
                ...args.statements(bucket.arn),
            ]),
        },
        opts,
    );
    return { bucket, policy };
}
