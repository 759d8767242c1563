/**
 * The three ways the remediator is invoked (see ./contract), recognized from the raw payload.
 */
import { ACCOUNT_RESOURCE_TYPE, isAccountId } from "../core/aws-facts";
import { CONFIG_REMEDIATION_SOURCE, RECONCILE_SOURCE } from "./contract";

export type Invocation =
    | {
          kind: "compliance-change";
          accountId: string;
          eventId?: string;
          time?: string;
          ruleName?: string;
          complianceType?: string;
      }
    | { kind: "reconcile"; trigger: string }
    | { kind: "config-remediation"; accountId: string }
    | { kind: "ignored"; reason: string };

export class InvocationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvocationError";
    }
}

export function parseInvocation(event: unknown): Invocation {
    if (!event || typeof event !== "object") throw new InvocationError("the payload is not a JSON object");
    const e = event as Record<string, unknown>;
    if (e.source === RECONCILE_SOURCE) return { kind: "reconcile", trigger: RECONCILE_SOURCE };
    if (e.source === "aws.events" && e["detail-type"] === "Scheduled Event") return { kind: "reconcile", trigger: "schedule" };
    if (e.source === CONFIG_REMEDIATION_SOURCE) {
        // SSM Automation passes parameters as strings; some documents wrap them in a one-element list.
        const id = Array.isArray(e.accountId) ? e.accountId[0] : e.accountId;
        if (!isAccountId(id)) throw new InvocationError(`${CONFIG_REMEDIATION_SOURCE}: accountId must be a 12-digit account ID`);
        return { kind: "config-remediation", accountId: id };
    }
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
    throw new InvocationError(
        `unrecognized payload: expected a Config compliance change event, {"source":"${RECONCILE_SOURCE}"}, a scheduled event, or {"source":"${CONFIG_REMEDIATION_SOURCE}","accountId":"…"}`,
    );
}
