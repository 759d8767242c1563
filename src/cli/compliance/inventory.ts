/**
 * `--inventory`: the root key inventory comes from the remediator's core (src/remediator), never from a
 * second implementation here. This file only adapts its result to the report's shape.
 */
import type { Progress } from "../progress";
import type { AccountInventory, ReportSource } from "./report-model";

export interface InventoryContext {
    /** Where the compliance came from; its region is where STS (AssumeRoot is regional) and IAM are called. */
    source: ReportSource;
    progress: Progress;
}

export type InventoryProvider = (accountIds: readonly string[], ctx: InventoryContext) => Promise<AccountInventory[]>;
