/**
 * The AWS Config managed rules that detect root credentials: `aws.cfg.Rule`s in one account, or
 * `aws.cfg.OrganizationManagedRule`s deployed by Config to every member account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ACCOUNT_RESOURCE_TYPE,
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

export interface RootCredentialRulesArgs {
    /** "account": one `aws.cfg.Rule` each; "organization": one `aws.cfg.OrganizationManagedRule` each. */
    scope: "account" | "organization";
    frequency?: ConfigFrequency;
    /** Deploy root-account-mfa-enabled. Default true. */
    rootMfaRule?: boolean;
    /** Deploy root-account-hardware-mfa-enabled. Default false. */
    hardwareMfaRule?: boolean;
    /** Organization scope only: accounts Config skips. */
    excludedAccounts?: string[];
    /** Prefix of the rule names (`<prefix>-<console name>`, never the console's own name). Default "rootguard". */
    namePrefix?: string;
    /** Rule names, keyed by identifier, instead of the prefixed names. */
    names?: Partial<Record<string, string>>;
    /** The region the rules go to: rules AWS Config does not offer there are refused before anything is planned. */
    region?: string;
    /** A recorder the rules must wait for (account scope; an organization rule needs one in every account). */
    recorder?: pulumi.Resource;
}

export interface DeployedRule {
    identifier: string;
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/** Which managed rules the args ask for, root access key first (the remediator keys off it). */
export function selectedRules(args: Pick<RootCredentialRulesArgs, "rootMfaRule" | "hardwareMfaRule">): ManagedRuleFact[] {
    const rules = [ROOT_ACCESS_KEY_RULE];
    if (args.rootMfaRule ?? true) rules.push(ROOT_MFA_RULE);
    if (args.hardwareMfaRule ?? false) rules.push(ROOT_HARDWARE_MFA_RULE);
    return rules;
}

export class RootCredentialRules extends pulumi.ComponentResource {
    /** In the order of `selectedRules`: the root access key rule first. */
    readonly rules: DeployedRule[];
    readonly ruleNames: pulumi.Output<string[]>;
    readonly accessKeyRule: DeployedRule;

    constructor(name: string, args: RootCredentialRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rootguard:index:RootCredentialRules", name, {}, opts);
        const frequency = args.frequency ?? DEFAULT_FREQUENCY;
        const dependsOn = args.recorder ? [args.recorder] : [];
        if (args.scope === "account" && (args.excludedAccounts?.length ?? 0) > 0) {
            throw new Error("rootguard: excludedAccounts applies only to organization rules");
        }

        if (args.region !== undefined) {
            for (const fact of selectedRules(args)) {
                const reason = managedRuleUnavailableReason(fact.identifier, args.region);
                if (reason !== undefined) throw new Error(`rootguard: ${reason}`);
            }
        }

        this.rules = selectedRules(args).map((fact) => {
            const physical = args.names?.[fact.identifier] ?? ruleName(args.namePrefix ?? DEFAULT_NAME_PREFIX, fact);
            if (args.scope === "organization") {
                const rule = new aws.cfg.OrganizationManagedRule(
                    `${name}-${fact.consoleName}`,
                    {
                        name: physical,
                        ruleIdentifier: fact.identifier,
                        description: fact.description,
                        maximumExecutionFrequency: frequency,
                        excludedAccounts: args.excludedAccounts ?? [],
                    },
                    { parent: this, dependsOn },
                );
                return { identifier: fact.identifier, name: rule.name, arn: rule.arn };
            }
            const rule = new aws.cfg.Rule(
                `${name}-${fact.consoleName}`,
                {
                    name: physical,
                    description: fact.description,
                    source: { owner: "AWS", sourceIdentifier: fact.identifier },
                    // Periodic rules take no scope; the account resource is what they report on.
                    maximumExecutionFrequency: frequency,
                    tags: { "rootguard:evaluates": ACCOUNT_RESOURCE_TYPE },
                },
                { parent: this, dependsOn },
            );
            return { identifier: fact.identifier, name: rule.name, arn: rule.arn };
        });
        this.accessKeyRule = this.rules[0];
        this.ruleNames = pulumi.all(this.rules.map((r) => r.name));
        this.registerOutputs({ ruleNames: this.ruleNames });
    }
}
