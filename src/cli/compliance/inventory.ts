/**
 * `--inventory`: the root key inventory comes from the remediator's core (src/remediator), never from a
 * second implementation here. This file only adapts its result to the report's shape.
 */
import type { Progress } from "./progress";
import type { AccountInventory, ReportSource } from "./report-model";

export interface InventoryContext {
    source: ReportSource;
    region: string | undefined;
    progress: Progress;
}

export type InventoryProvider = (accountIds: readonly string[], ctx: InventoryContext) => Promise<AccountInventory[]>;
