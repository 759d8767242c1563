/** root-key-check-coverage: the IAM_ROOT_ACCESS_KEY_CHECK Config rule covers every account, often enough. */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    CONFIG_FREQUENCIES,
    DEFAULT_FREQUENCY,
    ROOT_ACCESS_KEY_RULE,
    frequencyHours,
    isConfigFrequency,
    type ConfigFrequency,
} from "../src/core/aws-facts";
import { isUnknown, rawProps, readProp } from "../src/core/pulumi-values";
import { boolOption, enumOption, rawConfig, stringListOption, stringListSchema, strictSchema } from "./config";
import { guardStack, type Report } from "./guard";
import { CONFIG_RULE } from "./resource-types";

export const ROOT_KEY_CHECK_COVERAGE = "root-key-check-coverage";

type Read<T> = T | "unknown" | undefined;

interface RuleView {
    /** The managed rule identifier (only AWS-owned rules count). */
    identifier: Read<string>;
    excludedAccounts: Read<string[]>;
    frequency: Read<string>;
}

function str(v: unknown): Read<string> {
    if (isUnknown(v)) return "unknown";
    return typeof v === "string" ? v : undefined;
}

function list(...values: unknown[]): Read<string[]> {
    const out: string[] = [];
    for (const v of values) {
        if (v === undefined || v === null) continue;
        if (isUnknown(v) || !Array.isArray(v)) return "unknown";
        for (const item of v) {
            const s = readProp({ v: item }, "v");
            if (isUnknown(s)) return "unknown";
            if (typeof s === "string") out.push(s.trim());
        }
    }
    return out;
}

/** An AWS-owned rule's identifier; a custom (Lambda) rule is not the managed check. */
function managedIdentifier(source: unknown): Read<string> {
    if (isUnknown(source)) return "unknown";
    const owner = str(readProp(source, "owner"));
    if (owner === "unknown") return "unknown";
    if (owner === undefined || owner.toUpperCase() !== "AWS") return undefined;
    return str(readProp(source, "sourceIdentifier"));
}

function ruleView(type: string, propsIn: unknown): RuleView | undefined {
    const props = rawProps(propsIn);
    switch (type) {
        case CONFIG_RULE.rule:
        case CONFIG_RULE.nativeRule:
            return {
                identifier: managedIdentifier(readProp(props, "source")),
                excludedAccounts: [],
                frequency: str(readProp(props, "maximumExecutionFrequency")),
            };
        case CONFIG_RULE.organizationManagedRule:
            return {
                identifier: str(readProp(props, "ruleIdentifier")),
                excludedAccounts: list(readProp(props, "excludedAccounts")),
                frequency: str(readProp(props, "maximumExecutionFrequency")),
            };
        case CONFIG_RULE.nativeOrganizationRule: {
            const meta = readProp(props, "organizationManagedRuleMetadata");
            if (isUnknown(meta)) return { identifier: "unknown", excludedAccounts: "unknown", frequency: "unknown" };
            return {
                identifier: str(readProp(meta, "ruleIdentifier")),
                // CloudFormation keeps excludedAccounts on the rule; accept it beside the metadata too.
                excludedAccounts: list(readProp(props, "excludedAccounts"), readProp(meta, "excludedAccounts")),
                frequency: str(readProp(meta, "maximumExecutionFrequency")),
            };
        }
        default:
            return undefined;
    }
}

function isRootKeyCheck(identifier: Read<string>): Read<boolean> {
    if (identifier === "unknown") return "unknown";
    return identifier !== undefined && identifier.trim().toUpperCase() === ROOT_ACCESS_KEY_RULE.identifier;
}

function checkRule(r: PolicyResource, view: RuleView, allowedExcluded: Set<string>, maxFrequency: ConfigFrequency, report: Report): void {
    const label = `Config rule '${r.name}' (${r.type}) for ${ROOT_ACCESS_KEY_RULE.identifier}`;
    if (Array.isArray(view.excludedAccounts)) {
        const extra = view.excludedAccounts.filter((a) => !allowedExcluded.has(a));
        if (extra.length > 0) {
            report({
                urn: r.urn,
                message:
                    `${label} excludes accounts that are not in allowedExcludedAccounts: ${extra.join(", ")}. ` +
                    "Root access keys in those accounts would go unnoticed.\n" +
                    "Fix: remove them from excludedAccounts (give each a configuration recorder), or add them to this policy's allowedExcludedAccounts if the exclusion is deliberate.",
            });
        }
    }
    if (view.frequency === "unknown") return;
    const frequency = view.frequency === undefined || view.frequency === "" ? DEFAULT_FREQUENCY : view.frequency;
    if (!isConfigFrequency(frequency)) return;
    if (frequencyHours(frequency) > frequencyHours(maxFrequency)) {
        report({
            urn: r.urn,
            message:
                `${label} runs every ${frequencyHours(frequency)} hours (${frequency}); this stack requires at least every ${frequencyHours(maxFrequency)} hours (${maxFrequency}).\n` +
                `Fix: set maximumExecutionFrequency to ${maxFrequency} or more often.`,
        });
    }
}

export const rootKeyCheckCoverage: StackValidationPolicy = {
    name: ROOT_KEY_CHECK_COVERAGE,
    displayName: "Root access key check covers every account",
    description:
        `AWS Config rules for ${ROOT_ACCESS_KEY_RULE.identifier} (account or organization rules, aws or aws-native) must not exclude ` +
        "accounts outside allowedExcludedAccounts and must run at least as often as maximumFrequency; optionally the stack must have one.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: strictSchema({
        allowedExcludedAccounts: stringListSchema([], "Account IDs an organization rule may exclude.", "^\\d{12}$"),
        maximumFrequency: {
            type: "string",
            enum: [...CONFIG_FREQUENCIES],
            default: DEFAULT_FREQUENCY,
            description: "The rule must run at least this often (unset frequency means TwentyFour_Hours).",
        },
        requireRule: {
            type: "boolean",
            default: false,
            description: `Require the stack to contain an ${ROOT_ACCESS_KEY_RULE.identifier} rule.`,
        },
    }),
    validateStack: guardStack(ROOT_KEY_CHECK_COVERAGE, (args, report) => {
        const config = rawConfig(args);
        const allowedExcluded = new Set(stringListOption(config, "allowedExcludedAccounts", []).map((s) => s.trim()));
        const maxFrequency = enumOption(config, "maximumFrequency", CONFIG_FREQUENCIES, DEFAULT_FREQUENCY);
        const requireRule = boolOption(config, "requireRule", false);
        let found = false;
        let maybe = false;
        for (const r of args.resources) {
            const view = ruleView(r.type, r.props);
            if (!view) continue;
            const isCheck = isRootKeyCheck(view.identifier);
            if (isCheck === "unknown") maybe = true;
            if (isCheck !== true) continue;
            found = true;
            checkRule(r, view, allowedExcluded, maxFrequency, report);
        }
        if (requireRule && !found && !maybe) {
            report({
                message:
                    `This stack has no AWS Config rule for ${ROOT_ACCESS_KEY_RULE.identifier}, and requireRule is on. ` +
                    "Without it nobody is told when the root user has access keys (CIS 1.4, Security Hub IAM.4).\n" +
                    `Fix: add an aws.cfg.Rule (source owner AWS, sourceIdentifier ${ROOT_ACCESS_KEY_RULE.identifier}) or an aws.cfg.OrganizationManagedRule.`,
            });
        }
    }),
};

export const configRulePolicies = [rootKeyCheckCoverage];
