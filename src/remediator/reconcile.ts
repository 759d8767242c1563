/**
 * The scheduled reconcile (organization mode): the accounts the Config aggregator reports NON_COMPLIANT for the
 * root access key rule only, read page by page, each put on the work queue as one message. The worker
 * (./worker.ts) does the rest a bounded number at a time, with retries and a dead-letter queue, so every account is
 * reached whatever the organization's size. Nothing here calls AssumeRoot, and nothing holds the whole listing.
 */
import {
    DescribeAggregateComplianceByConfigRulesCommand,
    type AggregateComplianceByConfigRule,
    type ConfigRuleComplianceFilters,
    type ConfigServiceClient,
} from "@aws-sdk/client-config-service";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { isAccountId, ORGANIZATION_RULE_NAME_PREFIX } from "../core/aws-facts";
import { pages } from "../core/paging";
import { ACCOUNT_MESSAGE_SOURCE, type AccountMessage } from "./contract";
import { isGeneratedNameOf } from "./rules";

export interface RuleResolution {
    /** Exact rule names as the aggregator knows them (for an organization rule: its generated member-account name). */
    resolved: string[];
    /** Configured names the aggregator knows in no form. */
    unresolved: string[];
}

function aggregatePages(
    config: ConfigServiceClient,
    aggregatorName: string,
    filters: ConfigRuleComplianceFilters,
): AsyncGenerator<readonly AggregateComplianceByConfigRule[]> {
    return pages(async (NextToken) => {
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

/** The first page that holds a rule named `matches`, or nothing; stops reading there. */
async function firstMatches(rows: AsyncGenerator<readonly AggregateComplianceByConfigRule[]>, matches: (name: string) => boolean) {
    for await (const page of rows) {
        const names = new Set(page.map((r) => r.ConfigRuleName ?? "").filter(matches));
        if (names.size > 0) {
            await rows.return(undefined);
            return [...names];
        }
    }
    return [];
}

/**
 * Each configured name as the aggregator spells it: the name itself when the aggregator has rows for it (an account
 * rule, or a name given already generated), and the generated `OrgConfigRule-<name>-<suffix>` of an organization
 * rule, read from the rows of the remediator's own account and region (a few rows). Only when neither exists (the
 * own account is excluded from the rule) are pages read until the first one that has the generated name.
 */
export async function resolveRuleNames(
    config: ConfigServiceClient,
    aggregatorName: string,
    configured: readonly string[],
    own: { accountId: string; region: string },
): Promise<RuleResolution> {
    const resolved = new Set<string>();
    const unresolved: string[] = [];
    for (const name of configured) {
        const probe = await config.send(
            new DescribeAggregateComplianceByConfigRulesCommand({
                ConfigurationAggregatorName: aggregatorName,
                Filters: { ConfigRuleName: name },
                Limit: 1,
            }),
        );
        const exact = (probe.AggregateComplianceByConfigRules ?? []).some((r) => r.ConfigRuleName === name);
        let generated: string[] = [];
        if (!name.startsWith(ORGANIZATION_RULE_NAME_PREFIX)) {
            const isCopy = (n: string) => isGeneratedNameOf(n, name);
            generated = await firstMatches(
                aggregatePages(config, aggregatorName, { AccountId: own.accountId, AwsRegion: own.region }),
                isCopy,
            );
            if (!exact && generated.length === 0) generated = await firstMatches(aggregatePages(config, aggregatorName, {}), isCopy);
        }
        if (exact) resolved.add(name);
        for (const n of generated) resolved.add(n);
        if (!exact && generated.length === 0) unresolved.push(name);
    }
    return { resolved: [...resolved], unresolved };
}

/** NON_COMPLIANT account IDs of one exactly named rule, a page at a time (an account appears once per region). */
export async function* nonCompliantAccountPages(
    config: ConfigServiceClient,
    aggregatorName: string,
    ruleName: string,
): AsyncGenerator<string[]> {
    for await (const page of aggregatePages(config, aggregatorName, { ConfigRuleName: ruleName, ComplianceType: "NON_COMPLIANT" })) {
        // The filter is exact already; checking again costs nothing and keeps a lenient fake or API change honest.
        yield page
            .filter((r) => r.ConfigRuleName === ruleName && r.Compliance?.ComplianceType === "NON_COMPLIANT" && isAccountId(r.AccountId))
            .map((r) => r.AccountId as string);
    }
}

/** SendMessageBatch takes at most 10 entries. */
export const SQS_BATCH_SIZE = 10;
const SEND_ROUNDS = 3;

export class EnqueueError extends Error {
    constructor(
        readonly accountIds: string[],
        readonly reasons: string[],
    ) {
        super(`${accountIds.length} account(s) could not be put on the work queue: ${reasons.slice(0, 3).join("; ")}`);
        this.name = "EnqueueError";
    }
}

/**
 * One message per account, in batches of ten. Entries SQS reports failed for its own reasons are sent again (up to
 * three rounds); a sender fault, or entries still failing, end the reconcile with an error (the schedule's retry
 * runs it again as the same cycle, and the worker's idempotency keeps accounts already handled from repeating).
 */
export async function enqueueAccounts(sqs: SQSClient, queueUrl: string, accountIds: readonly string[], cycle: string): Promise<void> {
    for (let i = 0; i < accountIds.length; i += SQS_BATCH_SIZE) {
        let entries: SendMessageBatchRequestEntry[] = accountIds.slice(i, i + SQS_BATCH_SIZE).map((accountId) => {
            const body: AccountMessage = { source: ACCOUNT_MESSAGE_SOURCE, accountId, cycle };
            return { Id: accountId, MessageBody: JSON.stringify(body) };
        });
        const reasons: string[] = [];
        for (let round = 0; round < SEND_ROUNDS && entries.length > 0; round++) {
            const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
            const failed = out.Failed ?? [];
            const fatal = failed.filter((f) => f.SenderFault);
            if (fatal.length > 0) {
                throw new EnqueueError(
                    fatal.map((f) => f.Id ?? "?"),
                    fatal.map((f) => `${f.Code ?? "error"}: ${f.Message ?? ""}`),
                );
            }
            reasons.push(...failed.map((f) => `${f.Code ?? "error"}: ${f.Message ?? ""}`));
            const retry = new Set(failed.map((f) => f.Id));
            entries = entries.filter((e) => retry.has(e.Id));
        }
        if (entries.length > 0)
            throw new EnqueueError(
                entries.map((e) => e.Id as string),
                reasons,
            );
    }
}
