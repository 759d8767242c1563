/**
 * The guardrail stack `pulumi up` deploys (Pulumi.yaml `main: stacks/`). Reads `rootguard:` config once,
 * validates it (one message naming the key on the first bad value), and composes the components.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigKey, parseConfig, RootguardConfig } from "./config";
import { RootGuardrails } from "./components";

function loadConfig(): RootguardConfig {
    const cfg = new pulumi.Config("rootguard");
    try {
        return parseConfig((key: ConfigKey) => cfg.get(key), aws.config.region);
    } catch (err) {
        // RunError: Pulumi prints the message alone, without a stack trace pointing into this file.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

const config = loadConfig();
const guardrails = new RootGuardrails("rootguard", { config });

export const mode = config.mode;
export const region = config.region;
export const rules = guardrails.ruleOutputs;
export const ruleNames = guardrails.rules.ruleNames;
export const ruleArns = pulumi.all(guardrails.rules.rules.map((r) => r.arn));
export const configConsoleUrls = guardrails.ruleOutputs.apply((rs) => Object.fromEntries(rs.map((r) => [r.name, r.consoleUrl])));
export const alertTopicArn = guardrails.alerts.topicArn;
export const remediatorFunctionName = guardrails.remediator.functionName;
export const remediatorDeadLetterQueueUrl = guardrails.remediator.deadLetterQueue.url;
export const rootActivityRuleArn = guardrails.activity?.rule.arn;
export const configRemediationDocument = guardrails.configRemediation?.document.name;
export const aggregatorName = guardrails.organization?.aggregatorName;
export const serviceControlPolicyIds = guardrails.organization ? pulumi.all(guardrails.organization.policies.map((p) => p.id)) : undefined;
