/**
 * Which Config rules the remediator acts on: only the root access key rule(s) it was deployed for. An
 * organization rule shows up in each member account (and in the aggregator) as `OrgConfigRule-<name>-<suffix>`,
 * with a generated suffix (observed naming, not an API contract), so a configured name matches itself or exactly
 * that generated form, and nothing else: not `<name>-x-y`, not another rule that merely starts with the name.
 */
import { ORGANIZATION_RULE_NAME_PREFIX } from "../core/aws-facts";

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `actual` is the member-account copy of the organization rule `configured`. */
export function isGeneratedNameOf(actual: string, configured: string): boolean {
    return new RegExp(`^${escapeRegExp(ORGANIZATION_RULE_NAME_PREFIX)}${escapeRegExp(configured)}-[A-Za-z0-9]+$`).test(actual);
}

/** The configured rule itself, or its organization copy. */
export function ruleNameMatches(actual: string, configured: string): boolean {
    return actual === configured || isGeneratedNameOf(actual, configured);
}

/** True when an event of rule `actual` is one the remediator was deployed to act on. */
export function isConfiguredRule(actual: string | undefined, configured: readonly string[]): boolean {
    return actual !== undefined && configured.some((name) => ruleNameMatches(actual, name));
}
