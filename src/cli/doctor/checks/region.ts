/**
 * Partition and region support: the stack's region is one rootguard knows, in the caller's partition. Whether AWS
 * Config offers the managed rules there (src/core/regions.ts) is the stack's own config rule: stacks/config.ts
 * refuses a region without the root access key rule, or without the hardware MFA rule when it is asked for, and
 * skips the MFA rule with a warning (reported in doctor's notes), so doctor stops on the first with the same message.
 */
import { isOptInRegion, partitionOf } from "../../../core/regions";
import type { Check } from "../check";
import { plannedRules } from "../needs";
import { fail, pass } from "../result";

export const regionCheck: Check = {
    id: "region",
    title: "Region and partition",
    permissions: [],
    notNeeded: () => undefined,
    run: async ({ region, identity, config }) => {
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
        const rules = plannedRules(config).map((r) => r.identifier);
        return pass(`${region} is in partition ${partition}${optIn}; AWS Config offers ${rules.join(", ")} there`);
    },
};
