/**
 * A KMS key reference as the stack config accepts it (key ARN, key ID, `mrk-` multi-Region key ID, `alias/…` or an
 * alias ARN) turned into the key ARN an IAM statement must name: `kms:GenerateDataKey`/`kms:Decrypt` are authorized
 * on the key resource, and an alias in `Resource` matches no key use.
 *
 * - key ARN: as given;
 * - key ID or `mrk-` ID: a bare ID always means a key in the caller's account and region, so its ARN is built from
 *   them, with no call;
 * - alias name or alias ARN: looked up at deploy time with `aws.kms.getKey` (DescribeKey resolves both forms, and
 *   an alias ARN in another account too, unlike `aws.kms.getAlias`, which lists the caller's own aliases only).
 *
 * Not a `kms:RequestAlias` condition: SNS asks KMS for data keys with the key configured on the topic, so the alias
 * is not reliably in the request, and the grant would silently match nothing. A re-pointed alias takes effect on the
 * next `pulumi up`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type KmsKeyReference = "key-arn" | "key-id" | "alias" | "alias-arn";

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Which form `ref` has; undefined when it is none of them. */
export function kmsKeyReference(ref: string): KmsKeyReference | undefined {
    if (/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(ref)) return "key-arn";
    if (/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[A-Za-z0-9/_-]+$/.test(ref)) return "alias-arn";
    if (/^alias\/[A-Za-z0-9/_-]+$/.test(ref)) return "alias";
    if (KEY_ID.test(ref)) return "key-id";
    return undefined;
}

export interface KeyScope {
    partition: pulumi.Input<string>;
    region: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
}

/** The key ARN behind `ref` (see the module comment for how each form is resolved). */
export function kmsKeyArn(ref: string, scope: KeyScope, opts?: pulumi.InvokeOptions): pulumi.Output<string> {
    switch (kmsKeyReference(ref)) {
        case "key-arn":
            return pulumi.output(ref);
        case "key-id":
            return pulumi.interpolate`arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${ref}`;
        case "alias":
        case "alias-arn":
            return aws.kms.getKeyOutput({ keyId: ref }, opts).arn;
        default:
            throw new Error(`rootguard: ${JSON.stringify(ref)} is not a KMS key ARN, key ID, alias/… or alias ARN`);
    }
}
