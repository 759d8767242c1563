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

const outputs = {
    mode: config.mode,
    region: config.region,
    rules: guardrails.ruleOutputs,
    ruleNames: guardrails.rules.ruleNames,
    ruleArns: pulumi.all(guardrails.rules.rules.map((r) => r.arn)),
    configConsoleUrls: guardrails.ruleOutputs.apply((rs) => Object.fromEntries(rs.map((r) => [r.name, r.consoleUrl]))),
    alertTopicArn: guardrails.alerts.topicArn,
    remediatorFunctionName: guardrails.remediator.functionName,
    remediatorDeadLetterQueueUrl: guardrails.remediator.deadLetterQueue.url,
    rootActivityRuleArn: guardrails.activity?.rule.arn,
    rootActivityBusArn: guardrails.activity?.bus.arn,
    rootActivityStackSet: guardrails.activity?.organizationForwarders?.stackSet.name,
    trailArn: guardrails.trail?.trail.arn,
    configRemediationDocument: guardrails.configRemediation?.document.name,
    aggregatorName: guardrails.organization?.aggregatorName,
    serviceControlPolicyIds: guardrails.organization ? pulumi.all(guardrails.organization.policies.map((p) => p.id)) : undefined,
};

// Only the outputs this mode has: an undefined export makes Pulumi warn on every run.
export = Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
