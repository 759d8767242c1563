/**
 * The remediator's settings, read once per container from the environment the guardrail stack sets
 * (names in ./contract). Every rejection names the variable so a misconfigured stack is obvious in the logs.
 */
import { ROOT_ACCESS_KEY_RULE } from "../core/aws-facts";
import { REGION_PATTERN } from "../core/regions";
import { GUARDRAIL_MODES, REMEDIATION_ACTIONS, REMEDIATOR_ENV, type GuardrailMode, type RemediationAction } from "./contract";

export interface Settings {
    mode: GuardrailMode;
    action: RemediationAction;
    unusedDays: number;
    dryRun: boolean;
    /** Without a topic the remediator still acts and logs, but nobody is told. */
    topicArn?: string;
    /** The root access key rule(s): events of other rules are ignored, the reconcile lists only these. */
    ruleNames: string[];
    aggregatorName?: string;
    /** Without a queue the scheduled reconcile cannot fan out (it logs and reports that). */
    queueUrl?: string;
    /** Without a table, retried events are handled again (live state keeps that safe, but e-mails repeat). */
    idempotencyTable?: string;
    /** The work queue's maxReceiveCount: the receive on which a still-failing account is reported. */
    maxReceiveCount: number;
    maxAttempts: number;
    region: string;
    partition: string;
}

export const DEFAULTS = {
    mode: "account" as GuardrailMode,
    action: "notify" as RemediationAction,
    unusedDays: 45,
    /** Accounts handled at once: the worker's SQS event source maximum concurrency (2–1000). */
    concurrency: 5,
    /** Receives of one account message before it goes to the dead-letter queue. */
    maxReceiveCount: 3,
    maxAttempts: 5,
};

export class SettingsError extends Error {
    constructor(
        readonly variable: string,
        message: string,
    ) {
        super(`${variable}: ${message}`);
        this.name = "SettingsError";
    }
}

type Env = Record<string, string | undefined>;

export function loadSettings(env: Env = process.env): Settings {
    const mode = oneOf(env, REMEDIATOR_ENV.mode, GUARDRAIL_MODES, DEFAULTS.mode);
    const region = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "").trim();
    if (!REGION_PATTERN.test(region)) {
        throw new SettingsError("AWS_REGION", `must name an AWS region (AssumeRoot needs a regional STS endpoint), got "${region}"`);
    }
    const aggregatorName = text(env, REMEDIATOR_ENV.aggregatorName);
    if (mode === "organization" && !aggregatorName) {
        throw new SettingsError(
            REMEDIATOR_ENV.aggregatorName,
            "is required in organization mode (the reconcile reads non-compliant accounts from this Config aggregator)",
        );
    }
    const topicArn = text(env, REMEDIATOR_ENV.topicArn);
    if (topicArn && !/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(topicArn)) {
        throw new SettingsError(REMEDIATOR_ENV.topicArn, `must be an SNS topic ARN, got "${topicArn}"`);
    }
    const ruleNames = (text(env, REMEDIATOR_ENV.ruleNames) ?? ROOT_ACCESS_KEY_RULE.defaultName)
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    if (ruleNames.length === 0) throw new SettingsError(REMEDIATOR_ENV.ruleNames, "lists no rule names");
    const queueUrl = text(env, REMEDIATOR_ENV.queueUrl);
    if (queueUrl && !/^https:\/\/[^\s/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}$/.test(queueUrl)) {
        throw new SettingsError(
            REMEDIATOR_ENV.queueUrl,
            `must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got "${queueUrl}"`,
        );
    }
    return {
        mode,
        action: oneOf(env, REMEDIATOR_ENV.action, REMEDIATION_ACTIONS, DEFAULTS.action),
        unusedDays: integer(env, REMEDIATOR_ENV.unusedDays, DEFAULTS.unusedDays, 1, 3650),
        dryRun: boolean(env, REMEDIATOR_ENV.dryRun, false),
        topicArn,
        ruleNames,
        aggregatorName,
        queueUrl,
        idempotencyTable: text(env, REMEDIATOR_ENV.idempotencyTable),
        maxReceiveCount: integer(env, REMEDIATOR_ENV.maxReceiveCount, DEFAULTS.maxReceiveCount, 1, 1000),
        maxAttempts: integer(env, REMEDIATOR_ENV.maxAttempts, DEFAULTS.maxAttempts, 1, 10),
        region,
        partition: partitionOf(region),
    };
}

export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

function text(env: Env, name: string): string | undefined {
    const v = env[name]?.trim();
    return v ? v : undefined;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
    const v = text(env, name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new SettingsError(name, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got "${v}"`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
    const v = text(env, name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        throw new SettingsError(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
    }
    return Number(v);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
    const v = text(env, name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (["true", "1", "yes"].includes(v)) return true;
    if (["false", "0", "no"].includes(v)) return false;
    throw new SettingsError(name, `must be "true" or "false", got "${v}"`);
}
