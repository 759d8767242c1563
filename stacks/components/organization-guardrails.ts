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
    namePrefix: string;
    /** The stack's region: role and SCP names carry it (unique beyond one region). */
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Regions the aggregator collects from; the root-credential rules are global, so the stack region suffices. */
    aggregatorRegions: string[];
    /** Root (r-…), OU (ou-…) or account ids the SCPs attach to. */
    scpTargets?: string[];
    /** Create the SCPs. Default true. */
    serviceControlPolicies?: boolean;
    /** Also deny every action by root users (AssumeRoot sessions exempt). Default false. */
    denyAllRootActions?: boolean;
    /** Enable RootCredentialsManagement and RootSessions (retained on delete). Default true. */
    manageOrganizationsFeatures?: boolean;
    /**
     * The organization's management account id; default: DescribeOrganization (aws.organizations.getOrganization).
     * Unknown (an offline preview): the management-account checks are skipped.
     */
    managementAccountId?: pulumi.Input<string | undefined>;
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

export class OrganizationGuardrails extends pulumi.ComponentResource {
    readonly aggregator: aws.cfg.ConfigurationAggregator;
    readonly aggregatorName: pulumi.Output<string>;
    readonly aggregatorArn: pulumi.Output<string>;
    readonly policies: aws.organizations.Policy[] = [];
    readonly features?: aws.iam.OrganizationsFeatures;

    constructor(name: string, args: OrganizationGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:OrganizationGuardrails", name, {}, opts);

        const aggregatorRole = new aws.iam.Role(
            `${name}-aggregator-role`,
            {
                name: physicalName(args.namePrefix, "config-aggregator", "beyond-region", args.region),
                description: "AWS Config organization aggregator (rootguard)",
                assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", { account: args.accountId, partition: args.partition }),
            },
            { parent: this },
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-aggregator-managed`,
            {
                role: aggregatorRole.name,
                policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations`,
            },
            { parent: this },
        );
        this.aggregator = new aws.cfg.ConfigurationAggregator(
            `${name}-aggregator`,
            {
                name: physicalName(args.namePrefix, "organization"),
                organizationAggregationSource: { roleArn: aggregatorRole.arn, regions: args.aggregatorRegions, allRegions: false },
            },
            { parent: this, dependsOn: [attachment] },
        );
        this.aggregatorName = this.aggregator.name;
        this.aggregatorArn = this.aggregator.arn;

        const manageFeatures = args.manageOrganizationsFeatures ?? true;
        const createScps = args.serviceControlPolicies ?? true;
        const management =
            args.managementAccountId ??
            aws.organizations.getOrganizationOutput({ returnOrganizationOnly: true }, { parent: this }).masterAccountId;
        // Resolves once the caller is known to be the management account (or cannot be known offline); a
        // delegated administrator gets a warning naming what it must be.
        const checked = pulumi.all([args.accountId, management]).apply(([caller, mgmt]) => {
            if (mgmt === undefined || mgmt === "" || caller === mgmt) return true;
            if (manageFeatures) throw new pulumi.RunError(notManagementAccountMessage(caller, mgmt));
            pulumi.log.warn(delegatedAdministratorNotice(caller, mgmt, createScps), this);
            return true;
        });

        if (manageFeatures) {
            this.features = new aws.iam.OrganizationsFeatures(
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
            this.policies.push(policy);
            for (const target of args.scpTargets ?? []) {
                new aws.organizations.PolicyAttachment(
                    `${name}-${suffix}-${target}`,
                    { policyId: policy.id, targetId: target },
                    { parent: this },
                );
            }
        }
        this.registerOutputs({ aggregatorName: this.aggregatorName, policyIds: this.policies.map((p) => p.id) });
    }
}
