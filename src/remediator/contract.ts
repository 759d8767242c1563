/**
 * How the guardrail stack invokes the remediator Lambda: its environment and the three payloads.
 * The stack (stacks/) writes these; the handler (src/remediator/handler.ts) reads them.
 */

export const REMEDIATOR_ENV = {
    /** "account" | "organization" */
    mode: "ROOTGUARD_MODE",
    /** "notify" | "delete-unused" | "delete" */
    action: "ROOTGUARD_ACTION",
    /** Days without use after which delete-unused may delete a key (default 45, CIS 1.12). */
    unusedDays: "ROOTGUARD_UNUSED_DAYS",
    /** "true" reports what would happen and changes nothing. */
    dryRun: "ROOTGUARD_DRY_RUN",
    /** SNS topic for notifications. */
    topicArn: "ROOTGUARD_TOPIC_ARN",
    /** Comma-separated Config rule names to read compliance from. */
    ruleNames: "ROOTGUARD_RULE_NAMES",
    /** Organization mode: Config aggregator to reconcile from. */
    aggregatorName: "ROOTGUARD_AGGREGATOR_NAME",
    /** Organization mode: accounts handled at once (default 5). */
    concurrency: "ROOTGUARD_CONCURRENCY",
    /** Optional: stop dispatching accounts when less Lambda time than this remains (ms, default 30000). */
    safetyMarginMs: "ROOTGUARD_SAFETY_MARGIN_MS",
    /** Optional: SDK attempts per call, retries included (default 5). */
    maxAttempts: "ROOTGUARD_MAX_ATTEMPTS",
} as const;

/** Where the guardrail runs: one account, or organization-wide from the management / delegated admin account. */
export type GuardrailMode = "account" | "organization";
export const GUARDRAIL_MODES: readonly GuardrailMode[] = ["account", "organization"];

export type RemediationAction = "notify" | "delete-unused" | "delete";
export const REMEDIATION_ACTIONS: readonly RemediationAction[] = ["notify", "delete-unused", "delete"];

/** The scheduled reconcile (EventBridge schedule rule with constant input). */
export interface ReconcilePayload {
    source: "rootguard.reconcile";
}

/** Config's Remediate button → SSM Automation document → Lambda Invoke with this payload. */
export interface ConfigRemediationPayload {
    source: "rootguard.config-remediation";
    accountId: string;
}

export const RECONCILE_SOURCE = "rootguard.reconcile";
export const CONFIG_REMEDIATION_SOURCE = "rootguard.config-remediation";
