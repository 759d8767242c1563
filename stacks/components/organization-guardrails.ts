/**
 * Organization-wide pieces deployed from the management account (SCPs, Organizations features) or a Config
 * delegated administrator (aggregator): preventive SCPs, the organization Config aggregator the remediator
 * reconciles from, and centralized root access (RootCredentialsManagement, RootSessions) that AssumeRoot needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ASSUME_ROOT_EXEMPTION, ROOT_PRINCIPAL_ARN_PATTERN } from "../../src/core/aws-facts";
import { serviceTrustPolicy } from "./policy-document";

export interface OrganizationGuardrailsArgs {
    namePrefix: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Regions the aggregator collects from; the root-credential rules are global, so the stack region suffices. */
    aggregatorRegions: string[];
    /** Root (r-…), OU (ou-…) or account ids the SCPs attach to. */
    scpTargets?: string[];
    /** Also deny every action by root users (AssumeRoot sessions exempt). Default false. */
    denyAllRootActions?: boolean;
    /** Enable RootCredentialsManagement and RootSessions. Default true. */
    manageOrganizationsFeatures?: boolean;
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
                name: `${args.namePrefix}-config-aggregator`,
                description: "AWS Config organization aggregator (rootguard)",
                assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", args.accountId),
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
                name: `${args.namePrefix}-organization`,
                organizationAggregationSource: { roleArn: aggregatorRole.arn, regions: args.aggregatorRegions, allRegions: false },
            },
            { parent: this, dependsOn: [attachment] },
        );
        this.aggregatorName = this.aggregator.name;
        this.aggregatorArn = this.aggregator.arn;

        if (args.manageOrganizationsFeatures ?? true) {
            this.features = new aws.iam.OrganizationsFeatures(
                `${name}-root-access`,
                { enabledFeatures: ORGANIZATIONS_ROOT_FEATURES },
                { parent: this },
            );
        }

        const scps: [string, string, object][] = [
            ["deny-root-access-keys", "Deny creating access keys for the root user (rootguard)", denyRootAccessKeyCreationScp()],
        ];
        if (args.denyAllRootActions ?? false) {
            scps.push([
                "deny-root-actions",
                "Deny all root user actions except centralized root access sessions (rootguard)",
                denyAllRootActionsScp(),
            ]);
        }
        for (const [suffix, description, content] of scps) {
            const policy = new aws.organizations.Policy(
                `${name}-${suffix}`,
                { name: `${args.namePrefix}-${suffix}`, description, type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(content) },
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
