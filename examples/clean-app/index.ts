import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const appName = config.require("appName");

const uploads = new aws.s3.Bucket("uploads", { bucket: `${appName}-${pulumi.getStack()}` });

// The function gets credentials from its execution role: nothing to hard-code.
const role = new aws.iam.Role("handler-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicy("handler-s3", {
    role: role.name,
    policy: uploads.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: `${arn}/*` }] }),
    ),
});
const handler = new aws.lambda.Function("handler", {
    role: role.arn,
    runtime: "nodejs24.x",
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ ok: true });") }),
    environment: { variables: { BUCKET: uploads.bucket } },
});

// Break-glass for the security team: AssumeRoot only for auditing root credentials.
new aws.iam.Policy("root-audit", {
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: "sts:AssumeRoot",
                Resource: "*",
                Condition: { StringEquals: { "sts:TaskPolicyArn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } },
            },
        ],
    }),
});

export const bucketName = uploads.bucket;
export const functionName = handler.name;
