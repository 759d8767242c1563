import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const uploads = new aws.s3.Bucket("uploads", { bucket: `uploads-${pulumi.getStack()}` });

const role = new aws.iam.Role("handler-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});

// A key pasted into the function's environment instead of using its role (fabricated values).
new aws.lambda.Function("handler", {
    role: role.arn,
    runtime: "nodejs24.x",
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ ok: true });") }),
    environment: {
        variables: {
            BUCKET: uploads.bucket,
            AWS_ACCESS_KEY_ID: "AKIASVIZX3ORO7NZQDG4",
            AWS_SECRET_ACCESS_KEY: "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",
        },
    },
});

// Break-glass with no sts:TaskPolicyArn condition: a full root session in any member account.
new aws.iam.Policy("break-glass", {
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRoot", Resource: "*" }],
    }),
});
