/** The organization: every account and region an AWS Config aggregator knows, for rootguard's rules. */
import {
    ConfigServiceClient,
    DescribeAggregateComplianceByConfigRulesCommand,
    GetAggregateComplianceDetailsByConfigRuleCommand,
    type AggregateComplianceByConfigRule,
} from "@aws-sdk/client-config-service";
import { ACCOUNT_RESOURCE_TYPE } from "../../core/aws-facts";
import { allPages, mapBounded } from "../../core/paging";
import { UserError } from "../errors";
import { awsCall, isNoSuchRule } from "./errors";
import { toEvaluation, type FetchedCompliance } from "./fetch-account";
import type { Progress } from "../progress";
import { isComplianceType, type Evaluation } from "./report-model";
import { matchRule, type RuleSelection } from "./rules";
import { checkRegion, RESOLVED_REGION } from "./region";

export interface OrganizationOptions {
    aggregator: string;
    selection: RuleSelection;
    /** Detail calls in flight at once. Config's per-account API rate is low; the SDK retries throttling. */
    concurrency?: number;
    progress?: Progress;
    /** Aborts calls in flight (the overall --timeout). */
    signal?: AbortSignal;
}

export const DEFAULT_CONCURRENCY = 8;

interface Target {
    rule: string;
    configRuleName: string;
    accountId: string;
    region: string;
    listed: AggregateComplianceByConfigRule;
}

export async function fetchOrganizationCompliance(config: ConfigServiceClient, opts: OrganizationOptions): Promise<FetchedCompliance> {
    const { aggregator, selection } = opts;
    const region = await awsCall({ action: "config (resolving the region)", aggregator }, () => config.config.region());
    checkRegion(region, RESOLVED_REGION);
    // No rule filter on the listing: organization rules carry a generated suffix in member accounts
    // (see matchRule), and Config filters rule names by exact match only.
    const listed = await awsCall({ action: "config:DescribeAggregateComplianceByConfigRules", region, aggregator }, () =>
        allPages(async (NextToken) => {
            const page = await config.send(
                new DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: aggregator, NextToken }),
                { abortSignal: opts.signal },
            );
            return { items: page.AggregateComplianceByConfigRules, nextToken: page.NextToken };
        }),
    );
    const targets: Target[] = [];
    for (const entry of listed) {
        const rule = entry.ConfigRuleName ? matchRule(entry.ConfigRuleName, selection.rules) : undefined;
        if (!rule || !entry.AccountId || !entry.AwsRegion) continue;
        targets.push({ rule, configRuleName: entry.ConfigRuleName!, accountId: entry.AccountId, region: entry.AwsRegion, listed: entry });
    }
    const found = new Set(targets.map((t) => t.rule));
    const rulesNotFound = selection.rules.filter((r) => !found.has(r));
    const missingRequired = rulesNotFound.find((r) => !selection.optional.has(r));
    if (missingRequired !== undefined) {
        throw new UserError(
            `no account in Config aggregator "${aggregator}" (${region}) reports rule "${missingRequired}": deploy rootguard's organization stack, name your rule with --rule, or wait for the aggregator's first sync`,
        );
    }

    opts.progress?.start(targets.length);
    const perTarget = await mapBounded(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
        const rows = await details(config, aggregator, region, t, opts.signal);
        opts.progress?.tick();
        return rows;
    });
    opts.progress?.done();
    return { source: { mode: "organization", aggregator, region }, evaluations: perTarget.flat(), rulesNotFound };
}

async function details(
    config: ConfigServiceClient,
    aggregator: string,
    region: string,
    t: Target,
    signal: AbortSignal | undefined,
): Promise<Evaluation[]> {
    const fallback: Evaluation = {
        accountId: t.accountId,
        region: t.region,
        rule: t.rule,
        configRuleName: t.configRuleName,
        compliance: isComplianceType(t.listed.Compliance?.ComplianceType) ? t.listed.Compliance.ComplianceType : "INSUFFICIENT_DATA",
        lastEvaluated: null,
    };
    let results;
    try {
        results = await awsCall(
            { action: "config:GetAggregateComplianceDetailsByConfigRule", region, aggregator, rule: t.configRuleName },
            () =>
                allPages(async (NextToken) => {
                    const page = await config.send(
                        new GetAggregateComplianceDetailsByConfigRuleCommand({
                            ConfigurationAggregatorName: aggregator,
                            ConfigRuleName: t.configRuleName,
                            AccountId: t.accountId,
                            AwsRegion: t.region,
                            Limit: 100,
                            NextToken,
                        }),
                        { abortSignal: signal },
                    );
                    return { items: page.AggregateEvaluationResults, nextToken: page.NextToken };
                }),
        );
    } catch (err) {
        // The listing and the details are separate reads: a rule deleted in between is reported as listed.
        if (isNoSuchRule(err)) return [fallback];
        throw err;
    }
    const own = results.filter((r) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType === ACCOUNT_RESOURCE_TYPE);
    if (own.length === 0) return [fallback];
    return own.map((r) => {
        const e = toEvaluation(r, { accountId: r.AccountId ?? t.accountId, region: r.AwsRegion ?? t.region, rule: t.rule });
        e.configRuleName = t.configRuleName;
        return e;
    });
}
