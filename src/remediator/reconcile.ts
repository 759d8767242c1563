/**
 * Organization reconcile: the accounts the Config aggregator reports NON_COMPLIANT for the root-key
 * rule(s), each handled once, a few at a time, stopping before the Lambda timeout. Events are best
 * effort; this is what makes the remediator eventually consistent.
 */
import {
    DescribeAggregateComplianceByConfigRulesCommand,
    type AggregateComplianceByConfigRule,
    type ConfigServiceClient,
} from "@aws-sdk/client-config-service";
import { isAccountId, ORGANIZATION_RULE_NAME_PREFIX } from "../core/aws-facts";
import { allPages } from "../core/paging";

/**
 * An organization rule shows up in each member account under a generated name (the rule name with a
 * prefix and/or random suffix, e.g. `OrgConfigRule-iam-root-access-key-check-a1b2c3d4`); a plain rule
 * keeps its own name.
 */
export function ruleNameMatches(actual: string, configured: string): boolean {
    if (actual === configured) return true;
    return new RegExp(`^(?:${ORGANIZATION_PREFIX})?${escapeRegExp(configured)}(?:-[A-Za-z0-9]+)?$`).test(actual);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ORGANIZATION_PREFIX = escapeRegExp(ORGANIZATION_RULE_NAME_PREFIX);

export interface NonCompliantAccounts {
    accountIds: string[];
    /** Aggregator rule names that matched the configured ones. */
    matchedRules: string[];
}

/**
 * DescribeAggregateComplianceByConfigRules, every page. (GetAggregateComplianceDetailsByConfigRule needs
 * an AccountId and AwsRegion per call, so it cannot enumerate accounts.) An exact-name filter first;
 * when the aggregator does not know a name at all, one NON_COMPLIANT scan catches organization-rule names.
 */
export async function listNonCompliantAccounts(
    config: ConfigServiceClient,
    aggregatorName: string,
    ruleNames: readonly string[],
): Promise<NonCompliantAccounts> {
    const accounts = new Set<string>();
    const matched = new Set<string>();
    const unmatched: string[] = [];
    const take = (rows: AggregateComplianceByConfigRule[], names: readonly string[]) => {
        for (const r of rows) {
            if (r.Compliance?.ComplianceType !== "NON_COMPLIANT" || !isAccountId(r.AccountId) || !r.ConfigRuleName) continue;
            if (!names.some((n) => ruleNameMatches(r.ConfigRuleName as string, n))) continue;
            accounts.add(r.AccountId);
            matched.add(r.ConfigRuleName);
        }
    };
    for (const name of ruleNames) {
        const rows = await aggregateRows(config, aggregatorName, { ConfigRuleName: name, ComplianceType: "NON_COMPLIANT" });
        take(rows, [name]);
        // Nothing non-compliant is the common, healthy case: only scan when the name is unknown to the aggregator.
        if (rows.length === 0 && !(await ruleExists(config, aggregatorName, name))) unmatched.push(name);
    }
    if (unmatched.length > 0) take(await aggregateRows(config, aggregatorName, { ComplianceType: "NON_COMPLIANT" }), unmatched);
    return { accountIds: [...accounts], matchedRules: [...matched] };
}

async function ruleExists(config: ConfigServiceClient, aggregatorName: string, name: string): Promise<boolean> {
    const page = await config.send(
        new DescribeAggregateComplianceByConfigRulesCommand({
            ConfigurationAggregatorName: aggregatorName,
            Filters: { ConfigRuleName: name },
            Limit: 1,
        }),
    );
    return (page.AggregateComplianceByConfigRules ?? []).length > 0;
}

/** Every page of DescribeAggregateComplianceByConfigRules with these filters. */
function aggregateRows(
    config: ConfigServiceClient,
    aggregatorName: string,
    filters: { ConfigRuleName?: string; ComplianceType?: "NON_COMPLIANT" },
): Promise<AggregateComplianceByConfigRule[]> {
    return allPages(async (NextToken) => {
        const page = await config.send(
            new DescribeAggregateComplianceByConfigRulesCommand({
                ConfigurationAggregatorName: aggregatorName,
                Filters: filters,
                NextToken,
            }),
        );
        return { items: page.AggregateComplianceByConfigRules, nextToken: page.NextToken };
    });
}

export interface FanOutOptions {
    concurrency: number;
    /** Lambda's context.getRemainingTimeInMillis. */
    remainingMs: () => number;
    /** Stop starting new accounts when less than this remains; in-flight ones finish. */
    safetyMarginMs: number;
}

export interface FanOutResult<R> {
    completed: { item: string; result: R }[];
    failed: { item: string; error: unknown }[];
    notStarted: string[];
}

/**
 * Runs `work` over distinct items with at most `concurrency` in flight. A rejection is recorded and the
 * others continue; once remaining time drops under the margin, nothing new starts and the rest is returned.
 */
export async function fanOut<R>(
    items: readonly string[],
    work: (item: string) => Promise<R>,
    options: FanOutOptions,
): Promise<FanOutResult<R>> {
    const queue = [...new Set(items)];
    const result: FanOutResult<R> = { completed: [], failed: [], notStarted: [] };
    let next = 0;
    let stopped = false;
    const worker = async () => {
        while (next < queue.length && !stopped) {
            if (options.remainingMs() < options.safetyMarginMs) {
                stopped = true;
                break;
            }
            const item = queue[next++];
            try {
                result.completed.push({ item, result: await work(item) });
            } catch (error) {
                result.failed.push({ item, error });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queue.length)) }, worker));
    result.notStarted = queue.slice(next);
    return result;
}
