/**
 * A Config rule with the name the stack will use, created by someone else: PutConfigRule (and
 * PutOrganizationConfigRule) overwrite it silently, so `pulumi up` would take it over and `pulumi destroy`
 * delete it. A rule rootguard made before is recognised by its identifier and rootguard's description.
 */
import {
    DescribeConfigRulesCommand,
    DescribeOrganizationConfigRulesCommand,
    type ConfigRule,
    type OrganizationConfigRule,
} from "@aws-sdk/client-config-service";
import { errorCode } from "../../../aws/errors";
import type { ManagedRuleFact } from "../../../core/aws-facts";
import type { Check, CheckContext } from "../check";
import { plannedRuleName, plannedRules } from "../needs";
import { CallFailed, fail, pass } from "../result";
import { asManagementAccount, isOutcome } from "./organization";

type Found = { identifier?: string; description?: string } | undefined;

async function orAbsent<T>(absentCode: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch (err) {
        if (err instanceof CallFailed && errorCode(err.cause) === absentCode) return undefined;
        throw err;
    }
}

async function accountRule(ctx: CheckContext, name: string): Promise<Found> {
    const out = await orAbsent("NoSuchConfigRuleException", () =>
        ctx.call("config:DescribeConfigRules", (abortSignal) =>
            ctx.clients.config().send(new DescribeConfigRulesCommand({ ConfigRuleNames: [name] }), { abortSignal }),
        ),
    );
    const rule: ConfigRule | undefined = out?.ConfigRules?.find((r) => r.ConfigRuleName === name);
    return rule && { identifier: rule.Source?.SourceIdentifier, description: rule.Description };
}

async function organizationRule(ctx: CheckContext, name: string): Promise<Found> {
    const out = await orAbsent("NoSuchOrganizationConfigRuleException", () =>
        ctx.call("config:DescribeOrganizationConfigRules", (abortSignal) =>
            ctx.clients.config().send(new DescribeOrganizationConfigRulesCommand({ OrganizationConfigRuleNames: [name] }), { abortSignal }),
        ),
    );
    const rule: OrganizationConfigRule | undefined = out?.OrganizationConfigRules?.find((r) => r.OrganizationConfigRuleName === name);
    const meta = rule?.OrganizationManagedRuleMetadata;
    return rule && { identifier: meta?.RuleIdentifier, description: meta?.Description };
}

function isRootguards(found: NonNullable<Found>, fact: ManagedRuleFact): boolean {
    return found.identifier === fact.identifier && found.description === fact.description;
}

export const ruleNamesCheck: Check = {
    id: "rule-names",
    title: "No foreign Config rule with rootguard's rule names",
    permissions: ["config:DescribeConfigRules", "organizations:DescribeOrganization", "config:DescribeOrganizationConfigRules"],
    notNeeded: () => undefined,
    run: async (ctx) => {
        const organization = ctx.config.mode === "organization";
        if (organization) {
            const org = await asManagementAccount(ctx);
            if (isOutcome(org)) return org;
        }
        const clashes: string[] = [];
        const ours: string[] = [];
        for (const fact of plannedRules(ctx.config)) {
            const name = plannedRuleName(fact);
            const found = organization ? await organizationRule(ctx, name) : await accountRule(ctx, name);
            if (!found) continue;
            if (isRootguards(found, fact)) ours.push(name);
            else clashes.push(name);
        }
        const kind = organization ? "organization Config rule" : "Config rule";
        if (clashes.length > 0) {
            const them = clashes.length > 1 ? "them" : "it";
            const del = organization
                ? "aws configservice delete-organization-config-rule --organization-config-rule-name"
                : "aws configservice delete-config-rule --config-rule-name";
            return fail(
                `${kind} ${clashes.join(", ")} exists in ${ctx.region} but was not created by rootguard: pulumi up would take ${them} over and pulumi destroy would delete ${them}`,
                `delete or rename ${them} first: ${clashes.map((n) => `${del} ${n} --region ${ctx.region}`).join(" && ")}`,
            );
        }
        const names = plannedRules(ctx.config).map(plannedRuleName).join(", ");
        if (ours.length > 0)
            return pass(`${ours.join(", ")} already deployed by rootguard (pulumi up updates it); no foreign rule named ${names}`);
        return pass(`no ${kind} named ${names} in ${ctx.region} yet`);
    },
};
