/**
 * How the guardrail stack drives the remediator Lambda: its environment, the payloads it is invoked with, and
 * the message the reconcile puts on the work queue for each account. The stack (stacks/) writes these; the
 * handler (src/remediator/handler.ts) reads them.
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
    /** Comma-separated names of the root access key rule(s): the only rules the remediator acts on. */
    ruleNames: "ROOTGUARD_RULE_NAMES",
    /** Organization mode: Config aggregator to reconcile from. */
    aggregatorName: "ROOTGUARD_AGGREGATOR_NAME",
    /** SQS queue the reconcile puts one message per account on; the worker consumes it. */
    queueUrl: "ROOTGUARD_QUEUE_URL",
    /** DynamoDB table of Powertools Idempotency records (one per account and cycle, or per event). */
    idempotencyTable: "ROOTGUARD_IDEMPOTENCY_TABLE",
    /** The queue's redrive maxReceiveCount: on that receive a failing account is reported, then dead-lettered. */
    maxReceiveCount: "ROOTGUARD_MAX_RECEIVE_COUNT",
    /** Optional: SDK attempts per call, retries included (default 5). */
    maxAttempts: "ROOTGUARD_MAX_ATTEMPTS",
} as const;

/**
 * Where the guardrail runs: one account, or organization-wide from the management / delegated admin account.
 * Objects of constants with a type alias of the same name, so the component package's schema gets named enums.
 */
export const GuardrailMode = {
    /** One AWS account: account Config rules, the remediator notifies (no API lets it delete a root key there). */
    Account: "account",
    /** Every account of the organization, from the management account or the delegated administrators. */
    Organization: "organization",
} as const;
export type GuardrailMode = (typeof GuardrailMode)[keyof typeof GuardrailMode];
export const GUARDRAIL_MODES: readonly GuardrailMode[] = Object.values(GuardrailMode);

/** What the remediator does with a root access key it finds. */
export const RemediationAction = {
    /** Report every root access key with its evidence; delete nothing. */
    Notify: "notify",
    /** Delete (through AssumeRoot, organization mode) keys unused for unusedDays; report the others. */
    DeleteUnused: "delete-unused",
    /** Delete (through AssumeRoot, organization mode) every root access key. */
    Delete: "delete",
} as const;
export type RemediationAction = (typeof RemediationAction)[keyof typeof RemediationAction];
export const REMEDIATION_ACTIONS: readonly RemediationAction[] = Object.values(RemediationAction);

/**
 * The scheduled reconcile. The schedule's target fills `cycle` with the scheduled event's time, so a retried
 * delivery of the same schedule tick is the same cycle (and its accounts are not handled twice).
 */
export interface ReconcilePayload {
    source: "rootguard.reconcile";
    cycle?: string;
}

/** Config's Remediate button → SSM Automation document → Lambda Invoke with this payload. */
export interface ConfigRemediationPayload {
    source: "rootguard.config-remediation";
    accountId: string;
}

/** One account to check, as the reconcile enqueues it (the SQS message body). */
export interface AccountMessage {
    source: "rootguard.account";
    accountId: string;
    /** The reconcile cycle: with the account, the idempotency key. */
    cycle: string;
}

export const RECONCILE_SOURCE = "rootguard.reconcile";
export const CONFIG_REMEDIATION_SOURCE = "rootguard.config-remediation";
export const ACCOUNT_MESSAGE_SOURCE = "rootguard.account";

/** EventBridge input-transformer template for the schedule target: `<time>` is the scheduled event's time. */
export const RECONCILE_INPUT_TEMPLATE = `{"source":"${RECONCILE_SOURCE}","cycle":"<time>"}`;
