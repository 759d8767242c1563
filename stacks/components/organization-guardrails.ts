/**
 * Organization-wide pieces: preventive SCPs, the organization Config aggregator the remediator reconciles from,
 * and centralized root access (RootCredentialsManagement, RootSessions) that AssumeRoot needs.
 *
 * Who may deploy what (see "Organization mode: management account or delegated administrator" in docs/stacks.md):
 * - aws.iam.OrganizationsFeatures: the management account only (IAM answers CallerIsNotManagementAccountException).
 *   Checked while planning: the features' input waits for DescribeOrganization and fails with the fix otherwise.
 * - SCPs: the management account, or a member account that the management account's Organizations resource
 *   policy delegates policy management to (not visible from the member): from any other account a warning says so.
 * - Aggregator and organization Config rules: the management account or the Config delegated administrator.
 * - The remediator's sts:AssumeRoot: the management account or the IAM delegated administrator for centralized
 *   root access.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ASSUME_ROOT_EXEMPTION, ROOT_PRINCIPAL_ARN_PATTERN } from "../../src/core/aws-facts";
import { physicalName } from "../../src/core/naming";
import { serviceTrustPolicy } from "./policy-document";

export interface OrganizationGuardrailsArgs {
    /** Prefix of every physical name: the aggregator, its role and the SCPs. */
    namePrefix: string;
    /** The stack's region: role and SCP names carry it (they are unique beyond one region). */
    region: string;
    /** The deploying account's id. Default: the caller's account (sts:GetCallerIdentity). */
    accountId?: pulumi.Input<string>;
    /** The AWS partition (aws, aws-cn, aws-us-gov). Default: the AWS provider's partition. */
    partition?: pulumi.Input<string>;
    /** Regions the organization aggregator collects from; the root-credential rules are global. Default: [region]. */
    aggregatorRegions?: string[];
    /** Root (r-…), OU (ou-…) or 12-digit account ids the SCPs attach to. Default: none (the SCPs are created, not attached). */
    scpTargets?: string[];
    /** Create the SCPs (management account, or a delegated administrator for AWS Organizations policies). Default: true. */
    serviceControlPolicies?: boolean;
    /** Also create the SCP that denies every action by member accounts' root users (AssumeRoot sessions exempt). Default: false. */
    denyAllRootActions?: boolean;
    /**
     * Enable centralized root access (RootCredentialsManagement and RootSessions), which the remediator's AssumeRoot
     * needs: management account only; kept enabled on destroy (retainOnDelete). Default: true.
     */
    manageOrganizationsFeatures?: boolean;
    /**
     * The organization's management account id. Default: DescribeOrganization (aws.organizations.getOrganization).
     * Empty or unknown (an offline preview): the management-account checks are skipped.
     */
    managementAccountId?: pulumi.Input<string>;
}

type ScpStatement = Record<string, unknown>;

/** Deny creating root access keys: the preventive half of the guardrail. Root never needs a key. */
export function denyRootAccessKeyCreationScp(): { Version: string; Statement: ScpStatement[] } {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyRootAccessKeyCreation",
                Effect: "Deny",
                Action: "iam:CreateAccessKey",
                Resource: "*",
                Condition: { StringLike: { "aws:PrincipalArn": [ROOT_PRINCIPAL_ARN_PATTERN] } },
            },
        ],
    };
}

/**
 * Deny every action by member accounts' root users, except AssumeRoot sessions (`aws:AssumedRoot` present):
 * without that exemption the centralized root access tasks — the remediator's deletes included — fail.
 */
export function denyAllRootActionsScp(): { Version: string; Statement: ScpStatement[] } {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyRootUserActionsExceptAssumeRootSessions",
                Effect: "Deny",
                Action: "*",
                Resource: "*",
                Condition: { StringLike: { "aws:PrincipalArn": [ROOT_PRINCIPAL_ARN_PATTERN] }, ...ASSUME_ROOT_EXEMPTION },
            },
        ],
    };
}

export const ORGANIZATIONS_ROOT_FEATURES = ["RootCredentialsManagement", "RootSessions"];

/** The message when the stack runs outside the management account and manages the Organizations features. */
export function notManagementAccountMessage(caller: string, management: string): string {
    return (
        `rootguard: account ${caller} is not the management account (${management}) of its organization, and ` +
        "aws.iam.OrganizationsFeatures (centralized root access) can only be enabled from the management account. " +
        "Run the stack from the management account, or set rootguard:manageOrganizationsFeatures: false and enable " +
        "RootCredentialsManagement and RootSessions there (IAM console → Root access management)."
    );
}

/** What a deployment from a delegated administrator needs beyond this stack, as one warning. */
export function delegatedAdministratorNotice(caller: string, management: string, serviceControlPolicies: boolean): string {
    const needs = [
        "the AWS Config delegated administrator for config-multiaccountsetup.amazonaws.com and config.amazonaws.com (organization rules, aggregator)",
        "the IAM delegated administrator for centralized root access (the remediator's sts:AssumeRoot)",
    ];
    if (serviceControlPolicies)
        needs.push(
            "delegated AWS Organizations policy management for SERVICE_CONTROL_POLICY (or set rootguard:serviceControlPolicies: false)",
        );
    return `rootguard: deploying from account ${caller}, not the management account ${management}: this account must be ${needs.join("; ")}.`;
}

/**
 * Organization-wide pieces: the preventive SCPs, the organization AWS Config aggregator the remediator reconciles
 * from, and centralized root access (what the remediator's AssumeRoot needs).
 */
export class OrganizationGuardrails extends pulumi.ComponentResource {
    /** Name of the organization AWS Config aggregator. */
    readonly aggregatorName: pulumi.Output<string>;
    /** ARN of the organization AWS Config aggregator. */
    readonly aggregatorArn: pulumi.Output<string>;
    /** Ids of the service control policies created (deny root access keys, and deny root actions when asked). */
    readonly serviceControlPolicyIds: pulumi.Output<string[]>;

    constructor(name: string, args: OrganizationGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:OrganizationGuardrails", name, {}, opts);
        const accountId = args.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = args.partition ?? aws.getPartitionOutput({}, { parent: this }).partition;
        const policies: aws.organizations.Policy[] = [];

        const aggregatorRole = new aws.iam.Role(
            `${name}-aggregator-role`,
            {
                name: physicalName(args.namePrefix, "config-aggregator", "beyond-region", args.region),
                description: "AWS Config organization aggregator (rootguard)",
                assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", { account: accountId, partition: partition }),
            },
            { parent: this },
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-aggregator-managed`,
            {
                role: aggregatorRole.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations`,
            },
            { parent: this },
        );
        const aggregator = new aws.cfg.ConfigurationAggregator(
            `${name}-aggregator`,
            {
                name: physicalName(args.namePrefix, "organization"),
                organizationAggregationSource: {
                    roleArn: aggregatorRole.arn,
                    regions: args.aggregatorRegions ?? [args.region],
                    allRegions: false,
                },
            },
            { parent: this, dependsOn: [attachment] },
        );
        this.aggregatorName = aggregator.name;
        this.aggregatorArn = aggregator.arn;

        const manageFeatures = args.manageOrganizationsFeatures ?? true;
        const createScps = args.serviceControlPolicies ?? true;
        const management =
            args.managementAccountId ??
            aws.organizations.getOrganizationOutput({ returnOrganizationOnly: true }, { parent: this }).masterAccountId;
        // Resolves once the caller is known to be the management account (or cannot be known offline); a
        // delegated administrator gets a warning naming what it must be.
        const checked = pulumi.all([accountId, management]).apply(([caller, mgmt]) => {
            if (mgmt === undefined || mgmt === "" || caller === mgmt) return true;
            if (manageFeatures) throw new pulumi.RunError(notManagementAccountMessage(caller, mgmt));
            pulumi.log.warn(delegatedAdministratorNotice(caller, mgmt, createScps), this);
            return true;
        });

        if (manageFeatures) {
            new aws.iam.OrganizationsFeatures(
                `${name}-root-access`,
                { enabledFeatures: checked.apply(() => ORGANIZATIONS_ROOT_FEATURES) },
                // Deleting this resource disables centralized root access for the whole organization (the
                // provider's delete turns both features off), which would break every other team's root-access
                // tooling and this stack's remediation alike. `pulumi destroy`, or manageOrganizationsFeatures:
                // false, therefore only forgets it; turning the features off is a deliberate console/CLI step.
                { parent: this, retainOnDelete: true },
            );
        }

        const scps: [string, string, object][] = createScps
            ? [["deny-root-access-keys", "Deny creating access keys for the root user (rootguard)", denyRootAccessKeyCreationScp()]]
            : [];
        if (createScps && (args.denyAllRootActions ?? false)) {
            scps.push([
                "deny-root-actions",
                "Deny all root user actions except centralized root access sessions (rootguard)",
                denyAllRootActionsScp(),
            ]);
        }
        for (const [suffix, description, content] of scps) {
            const policy = new aws.organizations.Policy(
                `${name}-${suffix}`,
                {
                    name: physicalName(args.namePrefix, suffix, "beyond-region", args.region),
                    description,
                    type: "SERVICE_CONTROL_POLICY",
                    content: checked.apply(() => JSON.stringify(content)),
                },
                { parent: this },
            );
            policies.push(policy);
            for (const target of args.scpTargets ?? []) {
                new aws.organizations.PolicyAttachment(
                    `${name}-${suffix}-${target}`,
                    { policyId: policy.id, targetId: target },
                    { parent: this },
                );
            }
        }
        this.serviceControlPolicyIds = pulumi.all(policies.map((p) => p.id));
        this.registerOutputs({
            aggregatorName: this.aggregatorName,
            aggregatorArn: this.aggregatorArn,
            serviceControlPolicyIds: this.serviceControlPolicyIds,
        });
    }
}
