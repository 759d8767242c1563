/** Adapts the remediator's inventory core (src/remediator/inventory.ts) to `--inventory`. */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mapBounded } from "../../core/paging";
import { createClients } from "../../remediator/clients";
import {
    classifyInventoryError,
    inventoryMethodFor,
    inventoryRootKeys,
    type InventoryClients,
    type RootKeyInventory,
} from "../../remediator/inventory";
import { DEFAULTS } from "../../remediator/settings";
import { awsCall } from "./errors";
import type { InventoryProvider } from "./inventory";
import type { AccountInventory } from "./report-model";

/** The remediator's default: IAM and STS throttle per caller, not per target account. */
export const INVENTORY_CONCURRENCY = DEFAULTS.concurrency;

export function remediatorInventory(
    makeClients: (region: string) => InventoryClients = (region) => createClients({ region }),
): InventoryProvider {
    return async (accountIds, ctx) => {
        const region = ctx.source.region;
        const clients = makeClients(region);
        // The caller's own account cannot be reached with AssumeRoot; the core reads it from the
        // credential report instead, so it needs to know which account that is.
        const caller =
            ctx.source.mode === "account"
                ? ctx.source.accountId
                : (await awsCall({ action: "sts:GetCallerIdentity", region }, () => clients.sts.send(new GetCallerIdentityCommand({}))))
                      .Account;
        ctx.progress.start(accountIds.length);
        const out = await mapBounded(accountIds, INVENTORY_CONCURRENCY, async (accountId) => {
            const method = inventoryMethodFor(accountId, caller);
            let entry: AccountInventory;
            try {
                entry = toAccountInventory(await inventoryRootKeys({ accountId, method }, clients));
            } catch (err) {
                const c = classifyInventoryError(err, method);
                entry = {
                    accountId,
                    keys: [],
                    error: `${c.operation ?? "inventory"} failed (${c.code}): ${c.message}`,
                    notes: [c.whatToDo],
                };
            }
            ctx.progress.tick();
            return entry;
        });
        ctx.progress.done();
        return out;
    };
}

export function toAccountInventory(inv: RootKeyInventory): AccountInventory {
    const out: AccountInventory = {
        accountId: inv.accountId,
        method: inv.method,
        keys: inv.keys.map((k) => {
            const key: AccountInventory["keys"][number] = {
                keyId: k.maskedKeyId,
                status: k.status,
                created: k.created ?? null,
                lastUsed: k.lastUsed.date ?? null,
            };
            if (k.lastUsed.service) key.lastUsedService = k.lastUsed.service;
            if (k.lastUsed.region) key.lastUsedRegion = k.lastUsed.region;
            return key;
        }),
    };
    if (inv.notes.length > 0) out.notes = [...inv.notes];
    return out;
}
