/** Which Config rules the view reads, and which of them may be absent. */
import { ORGANIZATION_RULE_NAME_PREFIX, ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE } from "../../core/aws-facts";

export interface RuleSelection {
    rules: string[];
    /**
     * Rules that may be missing without failing the command. The stacks deploy the MFA rules by default
     * and the hardware-MFA rule only on request, so a default run must not fail where they are absent;
     * the access-key rule is the point of the view and rules named with --rule were asked for: those must exist.
     */
    optional: ReadonlySet<string>;
}

export function selectRules(named: readonly string[] | undefined): RuleSelection {
    if (named && named.length > 0) return { rules: [...new Set(named)], optional: new Set() };
    return {
        rules: [ROOT_ACCESS_KEY_RULE.defaultName, ROOT_MFA_RULE.defaultName, ROOT_HARDWARE_MFA_RULE.defaultName],
        optional: new Set([ROOT_MFA_RULE.defaultName, ROOT_HARDWARE_MFA_RULE.defaultName]),
    };
}

// The suffix has no hyphen, so the greedy group is the whole organization rule name (no prefix clashes
// between `a` and `a-b`). The prefix (`OrgConfigRule-`) has no regex metacharacters.
const ORGANIZATION_RULE = new RegExp(`^${ORGANIZATION_RULE_NAME_PREFIX}(.+)-[A-Za-z0-9]+$`);

/**
 * An organization rule (aws.cfg.OrganizationManagedRule) appears in member accounts, and so in the
 * aggregator, as `OrgConfigRule-<name>-<suffix>`; a rule deployed per account keeps its own name.
 */
export function matchRule(deployedName: string, rules: readonly string[]): string | undefined {
    if (rules.includes(deployedName)) return deployedName;
    const m = ORGANIZATION_RULE.exec(deployedName);
    return m && rules.includes(m[1]) ? m[1] : undefined;
}
