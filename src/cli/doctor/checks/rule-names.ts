/**
 * A Config rule with the name the stack will use, created by someone else: PutConfigRule (and
 * PutOrganizationConfigRule) overwrite it silently, so `pulumi up` would take it over and `pulumi destroy`
 * delete it. rootguard names its rules `<namePrefix>-<console name>` (src/core/aws-facts.ts, ruleName), and the
 * Config console names a managed rule by its console name alone, so a hand-made rule meets one of rootguard's only
 * when someone gave it that exact name. A rule rootguard made is recognised by its identifier and rootguard's
 * description: this stack's, or another stack's with the same prefix in this account and region.
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
import { CallFailed, fail, pass, type Outcome } from "../result";
import { asDeployer } from "./organization";

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

async function judge(ctx: CheckContext): Promise<Outcome> {
    const organization = ctx.config.mode === "organization";
    const rules = plannedRules(ctx.config);
    const names = rules.map((fact) => plannedRuleName(ctx.config, fact));
    const clashes: string[] = [];
    const ours: string[] = [];
    for (const [i, fact] of rules.entries()) {
        const found = organization ? await organizationRule(ctx, names[i]) : await accountRule(ctx, names[i]);
        if (!found) continue;
        if (isRootguards(found, fact)) ours.push(names[i]);
        else clashes.push(names[i]);
    }
    const kind = organization ? "organization Config rule" : "Config rule";
    const console = `rules added in the Config console keep their console names (${rules.map((r) => r.consoleName).join(", ")}) and are left alone`;
    if (clashes.length > 0) {
        const them = clashes.length > 1 ? "them" : "it";
        const del = organization
            ? "aws configservice delete-organization-config-rule --organization-config-rule-name"
            : "aws configservice delete-config-rule --config-rule-name";
        return fail(
            `${kind} ${clashes.join(", ")} exists in ${ctx.region} but was not created by rootguard: pulumi up would take ${them} over and pulumi destroy would delete ${them}`,
            `rootguard names its rules <namePrefix>-<console name>, so only a rule given that exact name collides: pulumi config set rootguard:namePrefix <another prefix>, or delete ${them}: ${clashes.map((n) => `${del} ${n} --region ${ctx.region}`).join(" && ")}`,
        );
    }
    if (ours.length > 0) {
        return pass(
            `${ours.join(", ")} already deployed by rootguard: pulumi up updates ${ours.length > 1 ? "them" : "it"} if this stack made ${ours.length > 1 ? "them" : "it"} (a second stack in this account and region needs another rootguard:namePrefix); ${console}`,
        );
    }
    return pass(`no ${kind} named ${names.join(", ")} in ${ctx.region} yet; ${console}`);
}

export const ruleNamesCheck: Check = {
    id: "rule-names",
    title: "No foreign Config rule with rootguard's rule names",
    permissions: ["config:DescribeConfigRules", "organizations:DescribeOrganization", "config:DescribeOrganizationConfigRules"],
    notNeeded: () => undefined,
    run: (ctx) => (ctx.config.mode === "organization" ? asDeployer(ctx, () => judge(ctx)) : judge(ctx)),
};
