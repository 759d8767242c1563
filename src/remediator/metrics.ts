/**
 * What the remediator counts, published as CloudWatch embedded metric format (EMF) through Powertools Metrics:
 * one EMF line per invocation, in namespace `rootguard`, dimension `service`. Alarms (stacks/) and dashboards
 * refer to these names; counts are summed per invocation, and an account replayed from its idempotency record
 * is not counted again.
 */
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";
import type { AccountReport } from "./remediate-account";

export const METRICS_NAMESPACE = "rootguard";
export const METRICS_SERVICE = "rootguard-remediator";

export const REMEDIATOR_METRICS = {
    /** Root access keys found by an inventory. */
    keysFound: "RootKeysFound",
    /** Root access keys the remediator deleted. */
    keysDeleted: "RootKeysDeleted",
    /** Keys left in place: kept by the decision, needing a person, or a dry run's would-delete. */
    keysKept: "RootKeysKept",
    /** Deletes that failed. */
    keysFailed: "RootKeysFailed",
    /** Accounts whose inventory succeeded. */
    accountsChecked: "AccountsChecked",
    /** Accounts the remediator could not inventory (after retries), including those sent to the dead-letter queue. */
    accountsNotReached: "AccountsNotReached",
    /** Accounts the reconcile put on the work queue. */
    accountsEnqueued: "AccountsEnqueued",
} as const;

export type MetricName = (typeof REMEDIATOR_METRICS)[keyof typeof REMEDIATOR_METRICS];

export interface RunMetrics {
    count(name: MetricName, value: number): void;
    /** Publish what this invocation counted (one EMF line) and start again. */
    flush(): void;
}

/** Sums per invocation, then one `addMetric` per name and `publishStoredMetrics`. */
export function powertoolsMetrics(metrics: Metrics): RunMetrics {
    const sums = new Map<MetricName, number>();
    return {
        count: (name, value) => sums.set(name, (sums.get(name) ?? 0) + value),
        flush: () => {
            if (sums.size === 0) return;
            for (const [name, value] of sums) metrics.addMetric(name, MetricUnit.Count, value);
            sums.clear();
            metrics.publishStoredMetrics();
        },
    };
}

/** The per-account counts of a finished account (not of an attempt that is retried). */
export function countAccount(report: AccountReport, metrics: RunMetrics): void {
    if (!report.inventory) {
        metrics.count(REMEDIATOR_METRICS.accountsNotReached, 1);
        return;
    }
    const results = report.keys.map((k) => k.result);
    const n = (pred: (r: string) => boolean) => results.filter(pred).length;
    metrics.count(REMEDIATOR_METRICS.accountsChecked, 1);
    metrics.count(REMEDIATOR_METRICS.keysFound, results.length);
    metrics.count(
        REMEDIATOR_METRICS.keysDeleted,
        n((r) => r === "deleted"),
    );
    metrics.count(
        REMEDIATOR_METRICS.keysKept,
        n((r) => r === "kept" || r === "manual" || r === "dry-run"),
    );
    metrics.count(
        REMEDIATOR_METRICS.keysFailed,
        n((r) => r === "failed"),
    );
}
