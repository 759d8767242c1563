/**
 * The guardrail stack `pulumi up` deploys (Pulumi.yaml `main: stacks/`). Reads `rootguard:` config once,
 * validates it (one message naming the key on the first bad value), and deploys `RootGuardrails`, whose outputs
 * are the stack's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigKey, parseConfig, RootguardConfig } from "./config";
import { GUARDRAIL_OUTPUTS, RootGuardrails } from "./components";

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

// Parsed here for the stack's own messages (rootguard:<key>). The component validates its inputs again, which
// changes nothing: parsed values parse to themselves, and a rule already skipped draws no second notice.
const { notices, ...config } = loadConfig();
for (const notice of notices) pulumi.log.warn(notice);
const guardrails = new RootGuardrails("rootguard", config);

// Only the outputs this mode has: an undefined export makes Pulumi warn on every run.
export = Object.fromEntries(GUARDRAIL_OUTPUTS.map((key) => [key, guardrails[key]]).filter(([, v]) => v !== undefined));
