/** One account: the caller's own Config rules, read in one region. */
import {
    ConfigServiceClient,
    DescribeComplianceByConfigRuleCommand,
    GetComplianceDetailsByConfigRuleCommand,
    type EvaluationResult,
} from "@aws-sdk/client-config-service";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ACCOUNT_RESOURCE_TYPE, isAccountId } from "../../core/aws-facts";
import { allPages } from "../../core/paging";
import { awsCall, isNoSuchRule } from "./errors";
import { isComplianceType, type ComplianceType, type Evaluation, type ReportSource } from "./report-model";
import type { RuleSelection } from "./rules";
import { checkRegion, RESOLVED_REGION } from "./region";

export interface AccountClients {
    config: ConfigServiceClient;
    sts: STSClient;
}

export interface FetchedCompliance {
    source: ReportSource;
    evaluations: Evaluation[];
    rulesNotFound: string[];
}

// GetComplianceDetailsByConfigRule leaves NOT_APPLICABLE out unless asked, and iam-root-access-key-check
// reports an account without root credentials as NOT_APPLICABLE: ask for all three (INSUFFICIENT_DATA
// cannot be used as a filter).
const DETAIL_TYPES = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"] as const;

export async function fetchAccountCompliance(
    clients: AccountClients,
    selection: RuleSelection,
    signal?: AbortSignal,
): Promise<FetchedCompliance> {
    const region = await awsCall({ action: "config (resolving the region)" }, () => clients.config.config.region());
    checkRegion(region, RESOLVED_REGION);
    const identity = await awsCall({ action: "sts:GetCallerIdentity", region }, () =>
        clients.sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal }),
    );
    const accountId = identity.Account ?? "";
    const evaluations: Evaluation[] = [];
    const rulesNotFound: string[] = [];
    for (const rule of selection.rules) {
        const ctx = { region, rule };
        let ruleCompliance: ComplianceType;
        try {
            ruleCompliance = await describeRule(clients.config, rule, ctx, signal);
        } catch (err) {
            if (selection.optional.has(rule) && isNoSuchRule(err)) {
                rulesNotFound.push(rule);
                continue;
            }
            throw err;
        }
        const results = await awsCall({ action: "config:GetComplianceDetailsByConfigRule", ...ctx }, () =>
            allPages(async (NextToken) => {
                const page = await clients.config.send(
                    new GetComplianceDetailsByConfigRuleCommand({
                        ConfigRuleName: rule,
                        ComplianceTypes: [...DETAIL_TYPES],
                        Limit: 100,
                        NextToken,
                    }),
                    { abortSignal: signal },
                );
                return { items: page.EvaluationResults, nextToken: page.NextToken };
            }),
        );
        const own = results.filter(isAccountResult);
        if (own.length === 0) {
            evaluations.push({ accountId, region, rule, configRuleName: rule, compliance: ruleCompliance, lastEvaluated: null });
            continue;
        }
        for (const r of own) evaluations.push(toEvaluation(r, { accountId, region, rule }));
    }
    return { source: { mode: "account", accountId, region }, evaluations, rulesNotFound };
}

async function describeRule(
    config: ConfigServiceClient,
    rule: string,
    ctx: { region: string; rule: string },
    signal?: AbortSignal,
): Promise<ComplianceType> {
    const rows = await awsCall({ action: "config:DescribeComplianceByConfigRule", ...ctx }, () =>
        allPages(async (NextToken) => {
            const page = await config.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: [rule], NextToken }), {
                abortSignal: signal,
            });
            return { items: page.ComplianceByConfigRules, nextToken: page.NextToken };
        }),
    );
    const type = rows.find((r) => r.ConfigRuleName === rule)?.Compliance?.ComplianceType;
    return isComplianceType(type) ? type : "INSUFFICIENT_DATA";
}

function isAccountResult(r: EvaluationResult): boolean {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    return q?.ResourceType === ACCOUNT_RESOURCE_TYPE;
}

export function toEvaluation(
    r: {
        ComplianceType?: string;
        ResultRecordedTime?: Date;
        ConfigRuleInvokedTime?: Date;
        Annotation?: string;
        EvaluationResultIdentifier?: EvaluationResult["EvaluationResultIdentifier"];
    },
    where: { accountId: string; region: string; rule: string },
): Evaluation {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    const when = r.ResultRecordedTime ?? r.ConfigRuleInvokedTime;
    const e: Evaluation = {
        accountId: isAccountId(q?.ResourceId) ? q.ResourceId : where.accountId,
        region: where.region,
        rule: where.rule,
        configRuleName: q?.ConfigRuleName ?? where.rule,
        compliance: isComplianceType(r.ComplianceType) ? r.ComplianceType : "INSUFFICIENT_DATA",
        lastEvaluated: when ? new Date(when).toISOString() : null,
    };
    if (r.Annotation) e.annotation = r.Annotation;
    return e;
}
