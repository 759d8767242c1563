/**
 * Makes the Config console's **Remediate** button (and, if enabled, automatic remediation) run the remediator:
 * Config starts an SSM Automation document with the non-compliant account's id, and the document invokes the
 * Lambda with the config-remediation payload of src/remediator/contract.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_RESOURCE_TYPE } from "../../src/core/aws-facts";
import { CONFIG_REMEDIATION_SOURCE, ConfigRemediationPayload } from "../../src/remediator/contract";
import { physicalName } from "../../src/core/naming";
import { policyDocument, serviceTrustPolicy } from "./policy-document";

export interface ConfigRemediationArgs {
    namePrefix: string;
    /** The stack's region: the role name carries it (IAM role names are unique per account, not per region). */
    region: string;
    accountId: pulumi.Input<string>;
    /** The root access key rule (an `aws.cfg.Rule` name in this account). */
    configRuleName: pulumi.Input<string>;
    functionName: pulumi.Input<string>;
    functionArn: pulumi.Input<string>;
    /** Run on every NON_COMPLIANT evaluation instead of waiting for the button. Default false. */
    automatic?: boolean;
}

/** `aws:invokeLambdaFunction` runs at most 300 s ("Each aws:invokeLambdaFunction action can run up to a maximum duration of 300 seconds", SSM user guide). */
export const INVOKE_LAMBDA_MAX_SECONDS = 300;

/**
 * Automatic attempts per non-compliant evaluation. In account mode the remediator cannot delete root keys (no API
 * lets a non-root principal), so the account stays NON_COMPLIANT and every further attempt would only repeat the
 * e-mail: one attempt.
 */
export const AUTOMATIC_ATTEMPTS = 1;

/** The SSM Automation document (schema 0.3). `{{ AccountId }}` is filled from the rule's RESOURCE_ID. */
export function remediationDocument(functionName: string): Record<string, unknown> {
    // The payload is written as a JSON template with the SSM parameter in place of the account id.
    const payload: ConfigRemediationPayload = { source: CONFIG_REMEDIATION_SOURCE, accountId: "{{ AccountId }}" };
    return {
        schemaVersion: "0.3",
        description: "rootguard: ask the remediator to inventory and remediate the root user's access keys of one account.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            AccountId: { type: "String", description: "The account the Config rule found non-compliant.", allowedPattern: "^\\d{12}$" },
            AutomationAssumeRole: { type: "String", description: "Role SSM Automation uses to invoke the remediator." },
        },
        mainSteps: [
            {
                name: "InvokeRemediator",
                action: "aws:invokeLambdaFunction",
                timeoutSeconds: INVOKE_LAMBDA_MAX_SECONDS,
                maxAttempts: 1,
                onFailure: "Abort",
                inputs: { FunctionName: functionName, InvocationType: "RequestResponse", Payload: JSON.stringify(payload) },
            },
        ],
    };
}

export class ConfigRemediation extends pulumi.ComponentResource {
    readonly document: aws.ssm.Document;
    readonly role: aws.iam.Role;
    readonly remediationConfiguration: aws.cfg.RemediationConfiguration;

    constructor(name: string, args: ConfigRemediationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:ConfigRemediation", name, {}, opts);
        const automatic = args.automatic ?? false;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: physicalName(args.namePrefix, "config-remediation", "beyond-region", args.region),
                description: "SSM Automation invokes the rootguard remediator for Config remediation",
                assumeRolePolicy: serviceTrustPolicy("ssm.amazonaws.com", args.accountId),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.id,
                policy: policyDocument([
                    { Sid: "InvokeRemediator", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: args.functionArn },
                ]),
            },
            { parent: this },
        );

        this.document = new aws.ssm.Document(
            `${name}-document`,
            {
                name: `${args.namePrefix}-RemediateRootAccessKeys`,
                documentType: "Automation",
                documentFormat: "JSON",
                content: pulumi.output(args.functionName).apply((fn) => JSON.stringify(remediationDocument(fn), null, 2)),
            },
            { parent: this },
        );

        this.remediationConfiguration = new aws.cfg.RemediationConfiguration(
            name,
            {
                configRuleName: args.configRuleName,
                resourceType: ACCOUNT_RESOURCE_TYPE,
                targetType: "SSM_DOCUMENT",
                targetId: this.document.name,
                targetVersion: "$DEFAULT",
                parameters: [
                    { name: "AccountId", resourceValue: "RESOURCE_ID" },
                    { name: "AutomationAssumeRole", staticValue: this.role.arn },
                ],
                automatic,
                ...(automatic ? { maximumAutomaticAttempts: AUTOMATIC_ATTEMPTS, retryAttemptSeconds: 600 } : {}),
            },
            { parent: this },
        );
        this.registerOutputs({ documentName: this.document.name });
    }
}
