import { ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE } from "../../src/core/aws-facts";
import * as assert from "node:assert/strict";
import {
    ConfigServiceClient,
    DescribeAggregateComplianceByConfigRulesCommand,
    GetAggregateComplianceDetailsByConfigRuleCommand,
    NoSuchConfigRuleException,
    NoSuchConfigurationAggregatorException,
    type AggregateComplianceByConfigRule,
    type GetAggregateComplianceDetailsByConfigRuleCommandInput,
} from "@aws-sdk/client-config-service";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { runCompliance } from "../../src/cli/compliance/command";
import { fetchOrganizationCompliance } from "../../src/cli/compliance/fetch-organization";
import { terminalProgress } from "../../src/cli/progress";
import { matchRule, selectRules } from "../../src/cli/compliance/rules";
import { UserError } from "../../src/cli/errors";
import { accountId, awsError, Capture, FAKE_CREDENTIALS, rejection, testDeps } from "./compliance-helpers";

// The default rule names of rootguard's stacks (namePrefix "rootguard").
const KEY_RULE = ROOT_ACCESS_KEY_RULE.defaultName;
const MFA_RULE = ROOT_MFA_RULE.defaultName;
const ORG_KEY_RULE = `OrgConfigRule-${KEY_RULE}-x1y2z3w4`;
const ORG_MFA_RULE = `OrgConfigRule-${MFA_RULE}-a9b8c7d6`;

function listed(rule: string, account: string, region: string, compliance: string): AggregateComplianceByConfigRule {
    return { ConfigRuleName: rule, AccountId: account, AwsRegion: region, Compliance: { ComplianceType: compliance as "COMPLIANT" } };
}

function detail(rule: string, account: string, region: string, compliance: string, recorded: string) {
    return {
        EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: "AWS::::Account", ResourceId: account },
        },
        ComplianceType: compliance as "COMPLIANT",
        ResultRecordedTime: new Date(recorded),
        AccountId: account,
        AwsRegion: region,
    };
}

describe("compliance: organization through an aggregator (aws-sdk-client-mock)", () => {
    // Created in before(), not at load: mockClient patches every instance of the class, and other test
    // files loaded into the same mocha process must keep their real clients.
    let config: AwsClientStub<ConfigServiceClient>;

    before(() => {
        config = mockClient(ConfigServiceClient);
    });

    beforeEach(() => config.reset());
    after(() => config.restore());

    it("lists every page, matches organization rule names, reads every detail page per account and region", async () => {
        const a = accountId(1);
        const b = accountId(2);
        const c = accountId(3);
        config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake((input: { NextToken?: string; Filters?: unknown }) => {
            assert.equal(input.Filters, undefined, "no exact-name filter: organization rules carry a suffix");
            switch (input.NextToken) {
                case undefined:
                    return {
                        AggregateComplianceByConfigRules: [
                            listed(ORG_KEY_RULE, a, "us-east-1", "NON_COMPLIANT"),
                            listed("some-other-rule", a, "us-east-1", "COMPLIANT"),
                        ],
                        NextToken: "L2",
                    };
                case "L2":
                    return {
                        AggregateComplianceByConfigRules: [
                            listed(ORG_KEY_RULE, b, "eu-west-1", "COMPLIANT"),
                            listed(ORG_MFA_RULE, b, "eu-west-1", "NON_COMPLIANT"),
                        ],
                        NextToken: "L3",
                    };
                case "L3":
                    // A rule deployed per account keeps its plain name.
                    return { AggregateComplianceByConfigRules: [listed(KEY_RULE, c, "us-east-1", "INSUFFICIENT_DATA")] };
                default:
                    throw new Error(`unexpected token ${input.NextToken}`);
            }
        });
        config
            .on(GetAggregateComplianceDetailsByConfigRuleCommand)
            .callsFake((input: GetAggregateComplianceDetailsByConfigRuleCommandInput) => {
                assert.equal(input.ConfigurationAggregatorName, "org");
                const k = `${input.ConfigRuleName}/${input.AccountId}/${input.AwsRegion}/${input.NextToken ?? ""}`;
                switch (k) {
                    case `${ORG_KEY_RULE}/${a}/us-east-1/`:
                        return { AggregateEvaluationResults: [], NextToken: "D2" };
                    case `${ORG_KEY_RULE}/${a}/us-east-1/D2`:
                        return {
                            AggregateEvaluationResults: [detail(ORG_KEY_RULE, a, "us-east-1", "NON_COMPLIANT", "2026-11-21T08:00:00Z")],
                        };
                    case `${ORG_KEY_RULE}/${b}/eu-west-1/`:
                        return { AggregateEvaluationResults: [detail(ORG_KEY_RULE, b, "eu-west-1", "COMPLIANT", "2026-11-21T09:00:00Z")] };
                    case `${ORG_MFA_RULE}/${b}/eu-west-1/`:
                        return {
                            AggregateEvaluationResults: [detail(ORG_MFA_RULE, b, "eu-west-1", "NON_COMPLIANT", "2026-11-21T10:00:00Z")],
                        };
                    case `${KEY_RULE}/${c}/us-east-1/`:
                        return { AggregateEvaluationResults: [] };
                    default:
                        throw new Error(`unexpected details call ${k}`);
                }
            });

        const deps = testDeps();
        const report = await runCompliance({ aggregator: "org", region: "us-east-1", json: true }, deps);

        assert.equal(config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).length, 3);
        assert.equal(config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand).length, 5);
        assert.deepEqual(report.source, { mode: "organization", aggregator: "org", region: "us-east-1" });
        assert.deepEqual(report.rulesNotFound, [ROOT_HARDWARE_MFA_RULE.defaultName]);
        assert.deepEqual(
            report.evaluations.map((e) => [e.accountId, e.region, e.rule, e.configRuleName, e.compliance, e.lastEvaluated]),
            [
                [a, "us-east-1", KEY_RULE, ORG_KEY_RULE, "NON_COMPLIANT", "2026-11-21T08:00:00.000Z"],
                [b, "eu-west-1", MFA_RULE, ORG_MFA_RULE, "NON_COMPLIANT", "2026-11-21T10:00:00.000Z"],
                [c, "us-east-1", KEY_RULE, KEY_RULE, "INSUFFICIENT_DATA", null],
                [b, "eu-west-1", KEY_RULE, ORG_KEY_RULE, "COMPLIANT", "2026-11-21T09:00:00.000Z"],
            ],
        );
        assert.deepEqual(report.summary.byCompliance, { NON_COMPLIANT: 2, INSUFFICIENT_DATA: 1, COMPLIANT: 1, NOT_APPLICABLE: 0 });
        assert.equal(report.summary.accounts, 3);
        assert.equal(report.summary.nonCompliantAccounts, 2);
        assert.equal(deps.stderr.text, "", "no progress on a non-TTY stderr");
    });

    it("keeps at most the configured number of detail calls in flight", async () => {
        const accounts = Array.from({ length: 40 }, (_, i) => accountId(i + 1));
        config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
            AggregateComplianceByConfigRules: accounts.map((acc) => listed(ORG_KEY_RULE, acc, "us-east-1", "COMPLIANT")),
        });
        let inFlight = 0;
        let peak = 0;
        config
            .on(GetAggregateComplianceDetailsByConfigRuleCommand)
            .callsFake(async (input: GetAggregateComplianceDetailsByConfigRuleCommandInput) => {
                peak = Math.max(peak, ++inFlight);
                await new Promise((r) => setTimeout(r, 2));
                inFlight--;
                return {
                    AggregateEvaluationResults: [detail(ORG_KEY_RULE, input.AccountId!, "us-east-1", "COMPLIANT", "2026-11-21T08:00:00Z")],
                };
            });
        const client = new ConfigServiceClient({ region: "us-east-1", credentials: FAKE_CREDENTIALS });
        const out = await fetchOrganizationCompliance(client, { aggregator: "org", selection: selectRules([KEY_RULE]), concurrency: 4 });
        assert.equal(out.evaluations.length, 40);
        assert.equal(peak, 4);
    });

    it("shows progress on a terminal stderr and clears it when done", async () => {
        config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
            AggregateComplianceByConfigRules: [
                listed(ORG_KEY_RULE, accountId(1), "us-east-1", "COMPLIANT"),
                listed(ORG_KEY_RULE, accountId(2), "us-east-1", "COMPLIANT"),
            ],
        });
        config.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({ AggregateEvaluationResults: [] });
        const tty = new Capture(true);
        const client = new ConfigServiceClient({ region: "us-east-1", credentials: FAKE_CREDENTIALS });
        await fetchOrganizationCompliance(client, {
            aggregator: "org",
            selection: selectRules([KEY_RULE]),
            progress: terminalProgress(tty, "reading", 0),
        });
        assert.match(tty.text, /reading 0\/2 \(0%\)/);
        assert.match(tty.text, /reading 2\/2 \(100%\)/);
        assert.ok(tty.text.endsWith("\r\x1b[2K"), "the line is cleared at the end");
    });

    it("falls back to the listed status when a rule disappears between listing and details", async () => {
        config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .resolves({ AggregateComplianceByConfigRules: [listed(ORG_KEY_RULE, accountId(1), "us-east-1", "NON_COMPLIANT")] });
        config
            .on(GetAggregateComplianceDetailsByConfigRuleCommand)
            .rejects(new NoSuchConfigRuleException({ message: "gone", $metadata: {} }));
        const report = await runCompliance({ aggregator: "org", rule: [KEY_RULE], json: true }, testDeps());
        assert.deepEqual(
            report.evaluations.map((e) => [e.compliance, e.lastEvaluated]),
            [["NON_COMPLIANT", null]],
        );
    });

    it("aggregator not found → one actionable line", async () => {
        config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .rejects(
                new NoSuchConfigurationAggregatorException({ message: "The configuration aggregator does not exist.", $metadata: {} }),
            );
        const err = await rejection(runCompliance({ aggregator: "nope", region: "eu-central-1" }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.equal(
            err.message,
            'Config aggregator "nope" not found in eu-central-1: check --aggregator and --region (list them with `aws configservice describe-configuration-aggregators --region eu-central-1`)',
        );
    });

    it("access denied on the aggregator → the organization permissions to grant", async () => {
        config.on(DescribeAggregateComplianceByConfigRulesCommand).rejects(awsError("AccessDeniedException", "not authorized"));
        const err = await rejection(runCompliance({ aggregator: "org" }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(
            err.message,
            /^access denied to config:DescribeAggregateComplianceByConfigRules in eu-west-1: the caller needs config:DescribeAggregateComplianceByConfigRules, config:GetAggregateComplianceDetailsByConfigRule$/,
        );
    });

    it("access denied on the details → one line too", async () => {
        config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .resolves({ AggregateComplianceByConfigRules: [listed(ORG_KEY_RULE, accountId(1), "us-east-1", "NON_COMPLIANT")] });
        config.on(GetAggregateComplianceDetailsByConfigRuleCommand).rejects(awsError("AccessDeniedException"));
        const err = await rejection(runCompliance({ aggregator: "org" }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, /^access denied to config:GetAggregateComplianceDetailsByConfigRule/);
    });

    it("the access-key rule absent from the whole organization → one actionable line", async () => {
        config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .resolves({ AggregateComplianceByConfigRules: [listed(ORG_MFA_RULE, accountId(1), "us-east-1", "COMPLIANT")] });
        const err = await rejection(runCompliance({ aggregator: "org" }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, new RegExp(`^no account in Config aggregator "org" \\(eu-west-1\\) reports rule "${KEY_RULE}": deploy`));
    });

    it("throttling that outlasts the SDK's retries → one line, and no new detail call starts after it", async () => {
        const accounts = Array.from({ length: 50 }, (_, i) => accountId(i + 1));
        config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
            AggregateComplianceByConfigRules: accounts.map((acc) => listed(ORG_KEY_RULE, acc, "us-east-1", "COMPLIANT")),
        });
        // One account throttled for good, the others answering slowly.
        config
            .on(GetAggregateComplianceDetailsByConfigRuleCommand)
            .callsFake(async (input: GetAggregateComplianceDetailsByConfigRuleCommandInput) => {
                if (input.AccountId === accountId(1)) throw awsError("ThrottlingException", "Rate exceeded");
                await new Promise((r) => setTimeout(r, 5));
                return { AggregateEvaluationResults: [] };
            });
        const client = new ConfigServiceClient({ region: "us-east-1", credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
        const err = await rejection(
            fetchOrganizationCompliance(client, { aggregator: "org", selection: selectRules([KEY_RULE]), concurrency: 4 }),
        );
        assert.ok(err instanceof UserError);
        assert.match(
            err.message,
            /^AWS kept throttling config:GetAggregateComplianceDetailsByConfigRule in us-east-1 after the SDK's retries \(ThrottlingException\): try again later/,
        );
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand).length, 4, "only the calls already in flight");
    });

    it("missing credentials → one line", async () => {
        config
            .on(DescribeAggregateComplianceByConfigRulesCommand)
            .rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        const err = await rejection(runCompliance({ aggregator: "org" }, testDeps()));
        assert.ok(err instanceof UserError);
        assert.match(err.message, /^no AWS credentials found/);
    });

    it("matches rule names exactly or as OrgConfigRule-<name>-<suffix>, never by loose prefix", () => {
        const rules = ["a", "a-b", KEY_RULE];
        assert.equal(matchRule(KEY_RULE, rules), KEY_RULE);
        assert.equal(matchRule(ORG_KEY_RULE, rules), KEY_RULE);
        assert.equal(matchRule("OrgConfigRule-a-b-abc123", rules), "a-b");
        assert.equal(matchRule("OrgConfigRule-a-abc123", rules), "a");
        assert.equal(matchRule(`${KEY_RULE}-copy`, rules), undefined);
        assert.equal(matchRule(`OrgConfigRule-${KEY_RULE}`, rules), undefined);
    });
});
