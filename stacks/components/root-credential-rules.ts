/**
 * The AWS Config managed rules that detect root credentials: `aws.cfg.Rule`s in one account, or
 * `aws.cfg.OrganizationManagedRule`s deployed by Config to every member account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ACCOUNT_RESOURCE_TYPE,
    configRuleConsoleUrl,
    ConfigFrequency,
    DEFAULT_FREQUENCY,
    ManagedRuleFact,
    ROOT_ACCESS_KEY_RULE,
    ROOT_HARDWARE_MFA_RULE,
    ROOT_MFA_RULE,
    ruleName,
} from "../../src/core/aws-facts";
import { DEFAULT_NAME_PREFIX } from "../../src/core/naming";
import { managedRuleUnavailableReason } from "../../src/core/regions";
import { GuardrailMode } from "../../src/remediator/contract";

export interface RootCredentialRulesArgs {
    /**
     * account: one aws.cfg.Rule per managed rule, in this account. organization: one
     * aws.cfg.OrganizationManagedRule each, which AWS Config deploys to every member account (from the management
     * account or the AWS Config delegated administrator; every included account needs a configuration recorder).
     */
    scope: GuardrailMode;
    /** How often AWS Config evaluates the periodic rules. Default: TwentyFour_Hours. */
    frequency?: ConfigFrequency;
    /** Also deploy root-account-mfa-enabled (ROOT_ACCOUNT_MFA_ENABLED, Security Hub IAM.9). Default: true. */
    rootMfaRule?: boolean;
    /** Also deploy root-account-hardware-mfa-enabled (ROOT_ACCOUNT_HARDWARE_MFA_ENABLED, Security Hub IAM.6). Default: false. */
    hardwareMfaRule?: boolean;
    /** Organization scope only: 12-digit account ids AWS Config skips (for example accounts without a recorder). */
    excludedAccounts?: string[];
    /** Prefix of the rule names, `<namePrefix>-<console name>` (never AWS's own console names). Default: rootguard. */
    namePrefix?: string;
    /** Rule names by managed rule identifier (for example IAM_ROOT_ACCESS_KEY_CHECK), instead of the prefixed names. */
    names?: Record<string, string>;
    /**
     * The region the rules go to: rules AWS Config does not offer there are refused before anything is planned, and
     * the console links point there. Default: the program's aws:region.
     */
    region?: string;
}

/** One deployed AWS Config rule. */
export interface RuleOutput {
    /** The managed rule's identifier, for example IAM_ROOT_ACCESS_KEY_CHECK. */
    identifier: string;
    /** The rule's name in AWS Config. */
    name: string;
    /** The rule's ARN. */
    arn: string;
    /** The rule's page in the AWS Config console (its evaluations and the Remediate button). */
    consoleUrl: string;
}

/** Which managed rules the args ask for, root access key rule first (the remediator keys off it). */
export function selectedRules(args: Pick<RootCredentialRulesArgs, "rootMfaRule" | "hardwareMfaRule">): ManagedRuleFact[] {
    const rules = [ROOT_ACCESS_KEY_RULE];
    if (args.rootMfaRule ?? true) rules.push(ROOT_MFA_RULE);
    if (args.hardwareMfaRule ?? false) rules.push(ROOT_HARDWARE_MFA_RULE);
    return rules;
}

/**
 * The AWS Config managed rules that find root access keys and root users without (hardware) MFA. A configuration
 * recorder the rules must wait for goes in the `dependsOn` resource option: the rules depend on it too.
 */
export class RootCredentialRules extends pulumi.ComponentResource {
    /** The deployed rules, root access key rule first. */
    readonly rules: pulumi.Output<RuleOutput[]>;
    /** The rules' names in AWS Config, root access key rule first. */
    readonly ruleNames: pulumi.Output<string[]>;
    /** The rules' ARNs, in the order of ruleNames. */
    readonly ruleArns: pulumi.Output<string[]>;
    /** The root access key rule's name: the rule the remediator acts on. */
    readonly accessKeyRuleName: pulumi.Output<string>;

    constructor(name: string, args: RootCredentialRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootCredentialRules", name, {}, opts);
        const frequency = args.frequency ?? DEFAULT_FREQUENCY;
        if (args.scope === "account" && (args.excludedAccounts?.length ?? 0) > 0) {
            throw new Error("rootguard: excludedAccounts applies only to organization rules");
        }
        const region = args.region ?? aws.config.region;
        if (region === undefined) throw new Error("rootguard: set the rules' region, or aws:region");
        for (const fact of selectedRules(args)) {
            const reason = managedRuleUnavailableReason(fact.identifier, region);
            if (reason !== undefined) throw new Error(`rootguard: ${reason}`);
        }
        // The rules wait for what the component waits for (a recorder), and are deleted before it.
        const ruleOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: opts?.dependsOn };

        const deployed = selectedRules(args).map((fact) => {
            const physical = args.names?.[fact.identifier] ?? ruleName(args.namePrefix ?? DEFAULT_NAME_PREFIX, fact);
            const rule =
                args.scope === "organization"
                    ? new aws.cfg.OrganizationManagedRule(
                          `${name}-${fact.consoleName}`,
                          {
                              name: physical,
                              ruleIdentifier: fact.identifier,
                              description: fact.description,
                              maximumExecutionFrequency: frequency,
                              excludedAccounts: args.excludedAccounts ?? [],
                          },
                          ruleOpts,
                      )
                    : new aws.cfg.Rule(
                          `${name}-${fact.consoleName}`,
                          {
                              name: physical,
                              description: fact.description,
                              source: { owner: "AWS", sourceIdentifier: fact.identifier },
                              // Periodic rules take no scope; the account resource is what they report on.
                              maximumExecutionFrequency: frequency,
                              tags: { "rootguard:evaluates": ACCOUNT_RESOURCE_TYPE },
                          },
                          ruleOpts,
                      );
            return pulumi.all([rule.name, rule.arn]).apply(([ruleName, arn]) => ({
                identifier: fact.identifier,
                name: ruleName,
                arn,
                consoleUrl: configRuleConsoleUrl(region, ruleName),
            }));
        });
        this.rules = pulumi.all(deployed);
        this.ruleNames = this.rules.apply((rs) => rs.map((r) => r.name));
        this.ruleArns = this.rules.apply((rs) => rs.map((r) => r.arn));
        this.accessKeyRuleName = deployed[0].apply((r) => r.name);
        this.registerOutputs({
            rules: this.rules,
            ruleNames: this.ruleNames,
            ruleArns: this.ruleArns,
            accessKeyRuleName: this.accessKeyRuleName,
        });
    }
}
