/**
 * Pulumi type tokens the pack matches on. Strings rather than `@pulumi/aws` classes: importing the
 * provider SDKs at runtime would cost the pack seconds of start-up for every `pulumi preview`.
 */

export const AWS_PROVIDER = "pulumi:providers:aws";
export const AWS_NATIVE_PROVIDER = "pulumi:providers:aws-native";
export const AWS_PROVIDER_TYPES: readonly string[] = [AWS_PROVIDER, AWS_NATIVE_PROVIDER];

export { isProviderType } from "../src/core/pulumi-values";

export function isAwsProviderType(type: string): boolean {
    return AWS_PROVIDER_TYPES.includes(type);
}

/** Resources that run against AWS through an aws or aws-native provider. */
export function isAwsResourceType(type: string): boolean {
    return type.startsWith("aws:") || type.startsWith("aws-native:") || isAwsProviderType(type);
}

export const IAM = {
    accessKey: "aws:iam/accessKey:AccessKey",
    userLoginProfile: "aws:iam/userLoginProfile:UserLoginProfile",
    signingCertificate: "aws:iam/signingCertificate:SigningCertificate",
    sshKey: "aws:iam/sshKey:SshKey",
    serviceSpecificCredential: "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
    user: "aws:iam/user:User",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    role: "aws:iam/role:Role",
    permissionSetInlinePolicy: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
} as const;

/** aws-native has no IAM access key resource (CloudFormation's AWS::IAM::AccessKey is not in Cloud Control). */
export const NATIVE_IAM = {
    user: "aws-native:iam:User",
    role: "aws-native:iam:Role",
    group: "aws-native:iam:Group",
    managedPolicy: "aws-native:iam:ManagedPolicy",
    rolePolicy: "aws-native:iam:RolePolicy",
    userPolicy: "aws-native:iam:UserPolicy",
    groupPolicy: "aws-native:iam:GroupPolicy",
} as const;

export const CONFIG_RULE = {
    rule: "aws:cfg/rule:Rule",
    organizationManagedRule: "aws:cfg/organizationManagedRule:OrganizationManagedRule",
    nativeRule: "aws-native:configuration:ConfigRule",
    /** Not shipped by aws-native 1.79, matched anyway so a later release is covered. */
    nativeOrganizationRule: "aws-native:configuration:OrganizationConfigRule",
} as const;

export const ORGANIZATIONS_POLICY = {
    aws: "aws:organizations/policy:Policy",
    native: "aws-native:organizations:Policy",
} as const;

export const SECRET_STORE = {
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    ssmParameter: "aws:ssm/parameter:Parameter",
    nativeSecret: "aws-native:secretsmanager:Secret",
} as const;
