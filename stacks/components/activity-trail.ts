/**
 * The CloudTrail trail root activity detection depends on: EventBridge receives "… via CloudTrail" events only
 * while a trail is logging (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"). Opt-in
 * (`createTrail`), because most accounts and every Control Tower organization already have one, and a second
 * trail's management events are billed as a second copy.
 *
 * Multi-region, global-service events, log-file validation, SSE-KMS with a key only CloudTrail of this trail may
 * use, TLS-only bucket; in organization mode an organization trail, which also counts as the trail of every
 * member account. Policies follow the CloudTrail User Guide ("Amazon S3 bucket policy for CloudTrail",
 * "Configure AWS KMS key policies for CloudTrail"), with `aws:SourceArn` against the confused deputy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_ADMIN_ACTIONS } from "./alert-topic";
import { logBucket } from "./log-bucket";
import { policyDocument } from "./policy-document";

export interface ActivityTrailArgs {
    namePrefix: string;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Organization mode: an organization trail; its member accounts' logs land under AWSLogs/<org id>/. */
    organizationId?: pulumi.Input<string>;
}

export class ActivityTrail extends pulumi.ComponentResource {
    readonly trail: aws.cloudtrail.Trail;
    readonly bucket: aws.s3.Bucket;
    readonly key: aws.kms.Key;

    constructor(name: string, args: ActivityTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:ActivityTrail", name, {}, opts);
        const parent = { parent: this };
        const trailName = `${args.namePrefix}-trail`;
        // Known before the trail exists: the bucket and key policies must name it.
        const trailArn = pulumi.interpolate`arn:${args.partition}:cloudtrail:${args.region}:${args.accountId}:trail/${trailName}`;
        const fromThisTrail = { StringEquals: { "aws:SourceArn": trailArn } };

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `rootguard CloudTrail logs (${trailName})`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyDocument([
                    {
                        Sid: "AccountAdministersAndUsesKeyThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root` },
                        Action: KEY_ADMIN_ACTIONS,
                        Resource: "*",
                    },
                    {
                        Sid: "CloudTrailEncryptsLogsOfThisTrail",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["kms:GenerateDataKey"],
                        Resource: "*",
                        Condition: {
                            ...fromThisTrail,
                            StringLike: {
                                "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${args.partition}:cloudtrail:*:${args.accountId}:trail/*`,
                            },
                        },
                    },
                    {
                        Sid: "CloudTrailDescribesKey",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["kms:DescribeKey"],
                        Resource: "*",
                        Condition: fromThisTrail,
                    },
                ]),
            },
            parent,
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${trailName}`, targetKeyId: this.key.keyId }, parent);

        const logs = logBucket(
            name,
            {
                bucketName: pulumi.interpolate`${args.namePrefix}-cloudtrail-${args.accountId}`,
                kmsKeyArn: this.key.arn,
                statements: (bucketArn) => [
                    {
                        Sid: "CloudTrailChecksBucketAcl",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["s3:GetBucketAcl"],
                        Resource: bucketArn,
                        Condition: fromThisTrail,
                    },
                    {
                        Sid: "CloudTrailWritesLogs",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["s3:PutObject"],
                        Resource: [
                            pulumi.interpolate`${bucketArn}/AWSLogs/${args.accountId}/*`,
                            // An organization trail writes member accounts' logs under the organization id.
                            ...(args.organizationId === undefined
                                ? []
                                : [pulumi.interpolate`${bucketArn}/AWSLogs/${args.organizationId}/*`]),
                        ],
                        Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
                    },
                ],
            },
            parent,
        );
        this.bucket = logs.bucket;

        this.trail = new aws.cloudtrail.Trail(
            name,
            {
                name: trailName,
                s3BucketName: this.bucket.bucket,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                isOrganizationTrail: args.organizationId !== undefined,
                kmsKeyId: this.key.arn,
                enableLogging: true,
                eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
            },
            { parent: this, dependsOn: [logs.policy] },
        );
        this.registerOutputs({ trailArn: this.trail.arn, bucketName: this.bucket.bucket });
    }
}
