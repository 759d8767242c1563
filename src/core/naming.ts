/**
 * The one rule for the physical names rootguard gives AWS resources, shared by the stacks (which create them),
 * the remediator and the compliance view (which find rules by name) and `rootguard doctor` (which checks that
 * nothing of the same name already exists).
 *
 * - Every name starts with the stack's `namePrefix`, so a rule or role made by hand (the Config console names a
 *   managed rule after its page, e.g. `iam-root-access-key-check`) is never adopted, overwritten or deleted.
 * - A name that must be unique beyond one region (IAM roles per account, S3 buckets per partition, SCPs per
 *   organization) also carries the region, so stacks of the same prefix in two regions of one account never
 *   clash. Two stacks in the same account and region need different prefixes.
 */

/** Lower case (the prefix also names an S3 bucket), a letter first, at most NAME_PREFIX_MAX_LENGTH characters. */
export const NAME_PREFIX_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
/**
 * Longest prefix for which every name fits its AWS limit: an IAM role of `<prefix>-<suffix up to 23>-<region up
 * to 14>` must stay within 64 characters, an organization Config rule of `<prefix>-<console name up to 33>`
 * within 64. tests/stacks/naming.test.ts checks every generated name against its limit with this length.
 */
export const NAME_PREFIX_MAX_LENGTH = 24;
export const DEFAULT_NAME_PREFIX = "rootguard";

/** Where a name must be unique. */
export type NameScope = "region" | "beyond-region";

export function isValidNamePrefix(prefix: string): boolean {
    return prefix.length <= NAME_PREFIX_MAX_LENGTH && NAME_PREFIX_PATTERN.test(prefix) && !prefix.includes("--");
}

/** `<prefix>-<suffix>` for regional names; `<prefix>-<suffix>-<region>` for names unique beyond one region. */
export function physicalName(prefix: string, suffix: string, scope: NameScope = "region", region?: string): string {
    if (scope === "beyond-region") {
        if (region === undefined || region === "") throw new Error(`rootguard: the name ${prefix}-${suffix} needs the stack's region`);
        return `${prefix}-${suffix}-${region}`;
    }
    return `${prefix}-${suffix}`;
}
