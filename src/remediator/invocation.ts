/**
 * The ways the remediator is invoked (see ./contract), recognized from the raw payload: a batch from the work
 * queue, the scheduled reconcile, the Remediate button's SSM payload, or a Config event; and what a work-queue
 * message holds (an account the reconcile enqueued, or a Config event EventBridge delivered to the queue).
 */
import type { SQSEvent } from "aws-lambda";
import { ACCOUNT_RESOURCE_TYPE, isAccountId } from "../core/aws-facts";
import { ACCOUNT_MESSAGE_SOURCE, CONFIG_REMEDIATION_SOURCE, RECONCILE_SOURCE } from "./contract";

export type Invocation =
    | {
          kind: "compliance-change";
          accountId: string;
          eventId?: string;
          time?: string;
          ruleName?: string;
          complianceType?: string;
      }
    | { kind: "reconcile"; trigger: string; cycle?: string }
    | { kind: "config-remediation"; accountId: string }
    | { kind: "queue-batch"; event: SQSEvent }
    | { kind: "ignored"; reason: string };

export type ComplianceChange = Extract<Invocation, { kind: "compliance-change" }>;

/** What one work-queue message asks for. */
export type QueueMessage =
    { kind: "account"; accountId: string; cycle: string } | ComplianceChange | Extract<Invocation, { kind: "ignored" }>;

export class InvocationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvocationError";
    }
}

export function parseInvocation(event: unknown): Invocation {
    if (!event || typeof event !== "object") throw new InvocationError("the payload is not a JSON object");
    const e = event as Record<string, unknown>;
    if (isQueueBatch(e)) return { kind: "queue-batch", event: e as unknown as SQSEvent };
    if (e.source === RECONCILE_SOURCE) {
        const cycle = typeof e.cycle === "string" && e.cycle.trim() !== "" ? e.cycle.trim() : undefined;
        return { kind: "reconcile", trigger: cycle ? "schedule" : RECONCILE_SOURCE, ...(cycle ? { cycle } : {}) };
    }
    if (e.source === "aws.events" && e["detail-type"] === "Scheduled Event") {
        return { kind: "reconcile", trigger: "schedule", ...(typeof e.time === "string" ? { cycle: e.time } : {}) };
    }
    if (e.source === CONFIG_REMEDIATION_SOURCE) {
        // SSM Automation passes parameters as strings; some documents wrap them in a one-element list.
        const id = Array.isArray(e.accountId) ? e.accountId[0] : e.accountId;
        if (!isAccountId(id)) throw new InvocationError(`${CONFIG_REMEDIATION_SOURCE}: accountId must be a 12-digit account ID`);
        return { kind: "config-remediation", accountId: id };
    }
    const change = complianceChange(e);
    if (change) return change;
    throw new InvocationError(
        `unrecognized payload: expected a Config compliance change event, {"source":"${RECONCILE_SOURCE}"}, a scheduled event, an SQS batch, or {"source":"${CONFIG_REMEDIATION_SOURCE}","accountId":"…"}`,
    );
}

function isQueueBatch(e: Record<string, unknown>): boolean {
    const records = e.Records;
    return (
        Array.isArray(records) &&
        records.length > 0 &&
        records.every((r) => r !== null && typeof r === "object" && (r as Record<string, unknown>).eventSource === "aws:sqs")
    );
}

/** A work-queue message body: `{"source":"rootguard.account",…}` from the reconcile, or a Config event from EventBridge. */
export function parseQueueMessage(body: string): QueueMessage {
    let e: unknown;
    try {
        e = JSON.parse(body);
    } catch {
        throw new InvocationError("the work-queue message is not JSON");
    }
    if (!e || typeof e !== "object") throw new InvocationError("the work-queue message is not a JSON object");
    const m = e as Record<string, unknown>;
    if (m.source === ACCOUNT_MESSAGE_SOURCE) {
        if (!isAccountId(m.accountId)) throw new InvocationError(`${ACCOUNT_MESSAGE_SOURCE}: accountId must be a 12-digit account ID`);
        if (typeof m.cycle !== "string" || m.cycle === "") throw new InvocationError(`${ACCOUNT_MESSAGE_SOURCE}: cycle is missing`);
        return { kind: "account", accountId: m.accountId, cycle: m.cycle };
    }
    const change = complianceChange(m);
    if (change) return change;
    throw new InvocationError(
        `unrecognized work-queue message: expected {"source":"${ACCOUNT_MESSAGE_SOURCE}",…} or a Config compliance change event`,
    );
}

function complianceChange(e: Record<string, unknown>): ComplianceChange | Extract<Invocation, { kind: "ignored" }> | undefined {
    if (e.source === "aws.config" && e["detail-type"] === "Config Rules Compliance Change") {
        const d = (e.detail ?? {}) as Record<string, unknown>;
        if (d.resourceType !== undefined && d.resourceType !== ACCOUNT_RESOURCE_TYPE) {
            return { kind: "ignored", reason: `resource type ${String(d.resourceType)} is not ${ACCOUNT_RESOURCE_TYPE}` };
        }
        const accountId = isAccountId(d.resourceId) ? d.resourceId : isAccountId(d.awsAccountId) ? d.awsAccountId : undefined;
        if (!accountId)
            throw new InvocationError("compliance change event names no 12-digit account (detail.resourceId / detail.awsAccountId)");
        const result = (d.newEvaluationResult ?? {}) as Record<string, unknown>;
        return {
            kind: "compliance-change",
            accountId,
            eventId: typeof e.id === "string" ? e.id : undefined,
            time: typeof e.time === "string" ? e.time : undefined,
            ruleName: typeof d.configRuleName === "string" ? d.configRuleName : undefined,
            complianceType: typeof result.complianceType === "string" ? result.complianceType : undefined,
        };
    }
    return undefined;
}
