/**
 * A Config recorder for an account/region that has none. An account has at most one recorder per region:
 * creating this where one exists fails, so the stack's default is off.
 *
 * Periodic rules (all the root-credential rules) need a running recorder, not any particular recorded type;
 * by default only AWS::IAM::User is recorded to keep configuration-item charges near zero.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../../src/core/naming";
import { logBucket } from "./log-bucket";
import { policyDocument, serviceTrustPolicy } from "./policy-document";

export interface ConfigRecorderArgs {
    namePrefix: string;
    /** The stack's region: the role and bucket names carry it (unique beyond one region). */
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Record every supported resource type. Default false. */
    recordAllResources?: boolean;
    /** Delivery of configuration snapshots. Default TwentyFour_Hours. */
    snapshotFrequency?: string;
}

export class ConfigRecorder extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly role: aws.iam.Role;
    readonly recorder: aws.cfg.Recorder;
    /** Depend on this: the recorder is running once it exists. */
    readonly status: aws.cfg.RecorderStatus;

    constructor(name: string, args: ConfigRecorderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:ConfigRecorder", name, {}, opts);

        const { bucket, policy: bucketPolicy } = logBucket(
            name,
            {
                bucketName: pulumi
                    .output(args.accountId)
                    .apply((account) => physicalName(args.namePrefix, `config-${account}`, "beyond-region", args.region)),
                statements: (bucketArn) => [
                    {
                        Sid: "ConfigChecksBucket",
                        Effect: "Allow",
                        Principal: { Service: "config.amazonaws.com" },
                        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
                        Resource: bucketArn,
                        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                    },
                    {
                        Sid: "ConfigDelivers",
                        Effect: "Allow",
                        Principal: { Service: "config.amazonaws.com" },
                        Action: ["s3:PutObject"],
                        Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${args.accountId}/Config/*`,
                        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                    },
                ],
            },
            { parent: this },
        );
        this.bucket = bucket;
        const prefix = pulumi.interpolate`${bucket.arn}/AWSLogs/${args.accountId}/Config/*`;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: physicalName(args.namePrefix, "config-recorder", "beyond-region", args.region),
                description: "AWS Config recorder (rootguard)",
                assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", { account: args.accountId, partition: args.partition }),
            },
            { parent: this },
        );
        const managedPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-role-managed`,
            { role: this.role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AWS_ConfigRole` },
            { parent: this },
        );
        const deliveryPolicy = new aws.iam.RolePolicy(
            `${name}-role-delivery`,
            {
                role: this.role.id,
                policy: policyDocument([
                    { Sid: "CheckBucket", Effect: "Allow", Action: ["s3:GetBucketAcl"], Resource: this.bucket.arn },
                    { Sid: "Deliver", Effect: "Allow", Action: ["s3:PutObject"], Resource: prefix },
                ]),
            },
            { parent: this },
        );

        const all = args.recordAllResources ?? false;
        this.recorder = new aws.cfg.Recorder(
            `${name}-recorder`,
            {
                name: physicalName(args.namePrefix, "recorder"),
                roleArn: this.role.arn,
                recordingGroup: all
                    ? { allSupported: true, includeGlobalResourceTypes: true }
                    : {
                          allSupported: false,
                          includeGlobalResourceTypes: false,
                          resourceTypes: ["AWS::IAM::User"],
                          recordingStrategies: [{ useOnly: "INCLUSION_BY_RESOURCE_TYPES" }],
                      },
            },
            // Config checks the role when the recorder is created and uses it from the first recording: the
            // role must already hold its permissions, not merely exist.
            { parent: this, dependsOn: [managedPolicy, deliveryPolicy] },
        );
        const channel = new aws.cfg.DeliveryChannel(
            `${name}-channel`,
            {
                name: physicalName(args.namePrefix, "delivery"),
                s3BucketName: this.bucket.bucket,
                snapshotDeliveryProperties: { deliveryFrequency: args.snapshotFrequency ?? "TwentyFour_Hours" },
            },
            // PutDeliveryChannel checks that Config can write to the bucket: bucket policy and role policy first.
            { parent: this, dependsOn: [this.recorder, bucketPolicy, deliveryPolicy] },
        );
        this.status = new aws.cfg.RecorderStatus(
            `${name}-status`,
            { name: this.recorder.name, isEnabled: true },
            { parent: this, dependsOn: [channel] },
        );
        this.registerOutputs({ recorderName: this.recorder.name, bucketName: this.bucket.bucket });
    }
}
