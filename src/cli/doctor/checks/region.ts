/**
 * Partition and region support: the stack's region is one rootguard knows, in the caller's partition, and
 * AWS Config offers every managed rule the config turns on there (src/core/regions.ts).
 */
import { isManagedRuleOffered, isOptInRegion, partitionOf, PARTITIONS, type Partition } from "../../../core/regions";
import type { ManagedRuleFact } from "../../../core/aws-facts";
import type { Check } from "../check";
import { plannedRules, ruleSwitch } from "../needs";
import { fail, pass } from "../result";

export const regionCheck: Check = {
    id: "region",
    title: "Region and partition",
    permissions: [],
    notNeeded: () => undefined,
    run: async ({ region, identity }) => {
        const partition = partitionOf(region);
        if (partition === undefined) {
            return fail(
                `aws:region ${region} is not a region rootguard supports (commercial, China and GovCloud partitions)`,
                `pulumi config set aws:region <region> with a region of partition ${identity.partition}`,
            );
        }
        if (partition !== identity.partition) {
            return fail(
                `aws:region ${region} is in partition ${partition} but the credentials are for partition ${identity.partition}`,
                `use credentials of partition ${partition}, or pulumi config set aws:region <a region of partition ${identity.partition}>`,
            );
        }
        const optIn = isOptInRegion(region) ? " (an opt-in region: it must be enabled in every account the stack covers)" : "";
        return pass(`${region} is in partition ${partition}${optIn}`);
    },
};

/** The first default-enabled region of the partition where every rule is offered, if any. */
function regionOfferingAll(partition: Partition, rules: ManagedRuleFact[]): string | undefined {
    return PARTITIONS[partition].defaultEnabled.find((r) => rules.every((rule) => isManagedRuleOffered(rule.identifier, r)));
}

export const rulesCheck: Check = {
    id: "rules-offered",
    title: "Managed rules offered in the region",
    permissions: [],
    notNeeded: () => undefined,
    run: async ({ region, config }) => {
        const rules = plannedRules(config);
        const missing = rules.filter((rule) => !isManagedRuleOffered(rule.identifier, region));
        if (missing.length === 0) return pass(`AWS Config offers ${rules.map((r) => r.identifier).join(", ")} in ${region}`);
        const partition = partitionOf(region);
        const mandatory = missing.filter((rule) => ruleSwitch(rule) === undefined);
        const turnOff = (rs: ManagedRuleFact[]) =>
            rs
                .map(ruleSwitch)
                .filter((k) => k !== undefined)
                .map((k) => `pulumi config set rootguard:${k} false`)
                .join(" and ");
        const everywhere = partition ? regionOfferingAll(partition, rules) : undefined;
        let fix: string;
        if (mandatory.length === 0) {
            fix = [turnOff(missing), everywhere && `pulumi config set aws:region ${everywhere}`].filter(Boolean).join(", or ");
        } else if (everywhere) {
            fix = `pulumi config set aws:region ${everywhere}`;
        } else {
            // No region of the partition offers every rule: move for the mandatory one, drop the optional ones.
            const forMandatory = partition ? regionOfferingAll(partition, mandatory) : undefined;
            const still = forMandatory ? rules.filter((rule) => !isManagedRuleOffered(rule.identifier, forMandatory)) : [];
            fix = [
                forMandatory ? `pulumi config set aws:region ${forMandatory}` : "deploy to a region where AWS Config offers it",
                turnOff(still),
            ]
                .filter(Boolean)
                .join(" and ");
        }
        return fail(`AWS Config does not offer ${missing.map((r) => r.identifier).join(", ")} in ${region}`, fix);
    },
};
