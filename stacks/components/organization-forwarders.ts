/**
 * Root activity forwarders in every member account of the organization, in every watched region, including
 * accounts created or moved in later: a service-managed CloudFormation StackSet with automatic deployment.
 * AWS Organizations tells CloudFormation about new accounts; CloudFormation installs the template there in every
 * region the StackSet has instances for, and removes it when an account leaves.
 *
 * Service-managed StackSets never deploy to the management account; `RegionalForwarder` covers the deploying
 * account itself. Prerequisite: trusted access for CloudFormation StackSets in Organizations (docs/stacks.md).
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
                templateBody: this.templateBody,
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
