/**
 * Root activity forwarders in every member account of the organization, in every watched region, including
 * accounts created or moved in later: a service-managed CloudFormation StackSet with automatic deployment.
 * AWS Organizations tells CloudFormation about new accounts; CloudFormation installs the template there in every
 * region the StackSet has instances for, and removes it when an account leaves.
 *
 * Service-managed StackSets never deploy to the management account; `RegionalForwarder` covers the deploying
 * account itself. Both hold only when the deploying account is the management account: the StackSet is created as
 * it (CallAs SELF), and from a delegated administrator the StackSet would skip the management account and install a
 * second forwarder in the deployer. So the component refuses to plan from any other account, as OrganizationGuardrails
 * does for the Organizations features. Prerequisite: trusted access for CloudFormation StackSets in Organizations
 * (docs/stacks.md).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { activityNames } from "./activity-names";
import { ForwarderParameter, forwarderTemplate } from "./forwarder-template";

export interface OrganizationForwardersArgs {
    namePrefix: string;
    /** Watched regions: one stack instance per region and targeted account. */
    regions: string[];
    /** Organization root (r-…) or OU ids to deploy to; automatic deployment follows accounts into them. */
    targets: pulumi.Input<string[]>;
    centralBusArn: pulumi.Input<string>;
    centralAccountId: pulumi.Input<string>;
    /** The organization's management account id (DescribeOrganization); unknown offline, when the check stands aside. */
    managementAccountId?: pulumi.Input<string | undefined>;
}

/** The message when the stack runs outside the management account with organization-wide root activity alerts. */
export function activityNotFromManagementMessage(caller: string, management: string): string {
    return (
        `rootguard: account ${caller} is not the management account (${management}) of its organization, and ` +
        "organization-wide root activity alerts deploy from the management account only: their service-managed StackSet " +
        "is created as the management account and never deploys to it, the stack's own forwarders covering it. Run the " +
        "stack from the management account, or set rootguard:rootActivityAlerts: false."
    );
}

export class OrganizationForwarders extends pulumi.ComponentResource {
    readonly stackSet: aws.cloudformation.StackSet;
    readonly instances: aws.cloudformation.StackInstances;
    /** The template body, as deployed (JSON). */
    readonly templateBody: string;

    constructor(name: string, args: OrganizationForwardersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:OrganizationForwarders", name, {}, opts);
        const names = activityNames(args.namePrefix);
        this.templateBody = JSON.stringify(forwarderTemplate(args.namePrefix));
        // Resolves once the caller is known to be the management account (or cannot be known offline).
        const checked = pulumi.all([args.centralAccountId, args.managementAccountId]).apply(([caller, management]) => {
            if (management === undefined || management === "" || caller === management) return true;
            throw new pulumi.RunError(activityNotFromManagementMessage(caller, management));
        });
        const parameters: Record<ForwarderParameter, pulumi.Input<string>> = {
            CentralEventBusArn: args.centralBusArn,
            CentralAccountId: args.centralAccountId,
        };
        const operationPreferences = {
            regionConcurrencyType: "PARALLEL",
            maxConcurrentPercentage: 100,
            // A suspended or misconfigured account must not stop the rollout to the others; failed instances
            // stay visible in the StackSet (and `rootguard doctor`).
            failureTolerancePercentage: 100,
        };

        this.stackSet = new aws.cloudformation.StackSet(
            name,
            {
                name: names.stackSet,
                description: "rootguard: forwards root user activity of every member account and region to the central event bus",
                permissionModel: "SERVICE_MANAGED",
                callAs: "SELF",
                autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                capabilities: ["CAPABILITY_NAMED_IAM"],
                managedExecution: { active: true },
                templateBody: checked.apply(() => this.templateBody),
                parameters,
                operationPreferences,
            },
            // AWS reports the service-managed administration role back; it is not ours to set (SERVICE_MANAGED).
            { parent: this, ignoreChanges: ["administrationRoleArn"] },
        );
        this.instances = new aws.cloudformation.StackInstances(
            `${name}-instances`,
            {
                stackSetName: this.stackSet.name,
                callAs: "SELF",
                regions: args.regions,
                deploymentTargets: { organizationalUnitIds: args.targets },
                operationPreferences: { ...operationPreferences, concurrencyMode: "SOFT_FAILURE_TOLERANCE" },
            },
            { parent: this },
        );
        this.registerOutputs({ stackSetName: this.stackSet.name });
    }
}
