import { strict as assert } from "node:assert";
import { decideKey, type DecideOptions, type KeyFacts } from "../../src/remediator/decide";
import type { RemediationAction } from "../../src/remediator/contract";
import { DAY, NOW } from "./helpers";

const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
const opts = (o: Partial<DecideOptions> = {}): DecideOptions => ({
    action: "delete-unused",
    unusedDays: 45,
    dryRun: false,
    canAct: true,
    now: NOW,
    ...o,
});
const used = (msAgo: number, status = "Active"): KeyFacts => ({ status, created: at(400 * DAY), lastUsedDate: at(msAgo) });
const neverUsed = (createdMsAgo: number, status = "Active"): KeyFacts => ({ status, created: at(createdMsAgo) });

describe("remediator decide (pure)", () => {
    describe("delete-unused window boundaries", () => {
        it("deletes a key last used exactly unusedDays ago", () => {
            const d = decideKey(used(45 * DAY), opts());
            assert.equal(d.decision, "delete");
            assert.equal(d.idleDays, 45);
            assert.match(d.reason, /last used 45 days ago/);
        });
        it("keeps a key last used one millisecond inside the window", () => {
            const d = decideKey(used(45 * DAY - 1), opts());
            assert.equal(d.decision, "keep");
            assert.equal(d.eligible, false);
            assert.match(d.reason, /inside the 45-day window/);
        });
        it("keeps a key used yesterday and one used just now", () => {
            assert.equal(decideKey(used(DAY), opts()).decision, "keep");
            assert.equal(decideKey(used(0), opts()).decision, "keep");
        });
        it("keeps a key whose last use is in the future (clock skew)", () => {
            assert.equal(decideKey(used(-5 * DAY), opts()).decision, "keep");
        });
        it("deletes a key unused 200 days", () => {
            assert.equal(decideKey(used(200 * DAY), opts()).decision, "delete");
        });
        it("honours a custom window", () => {
            assert.equal(decideKey(used(10 * DAY), opts({ unusedDays: 10 })).decision, "delete");
            assert.equal(decideKey(used(10 * DAY - 1), opts({ unusedDays: 10 })).decision, "keep");
            assert.equal(decideKey(used(1 * DAY), opts({ unusedDays: 1 })).decision, "delete");
        });
        it("uses last use, not creation, when both are known", () => {
            // Created long ago, used recently: kept.
            assert.equal(decideKey({ status: "Active", created: at(1000 * DAY), lastUsedDate: at(3 * DAY) }, opts()).decision, "keep");
        });
    });

    describe("never used keys", () => {
        it("deletes a never-used key created exactly unusedDays ago", () => {
            const d = decideKey(neverUsed(45 * DAY), opts());
            assert.equal(d.decision, "delete");
            assert.match(d.reason, /never used, created 45 days ago/);
        });
        it("keeps a never-used key created inside the window", () => {
            assert.equal(decideKey(neverUsed(45 * DAY - 1), opts()).decision, "keep");
            assert.equal(decideKey(neverUsed(0), opts()).decision, "keep");
        });
        it("keeps a key with neither last use nor creation date (cannot prove it unused)", () => {
            const d = decideKey({ status: "Active" }, opts());
            assert.equal(d.decision, "keep");
            assert.match(d.reason, /cannot be shown unused/);
        });
        it("treats an unparseable date as unknown", () => {
            assert.equal(decideKey({ status: "Active", created: "not a date", lastUsedDate: "nope" }, opts()).decision, "keep");
        });
    });

    describe("inactive keys", () => {
        it("follow the same window and say they are inactive", () => {
            const old = decideKey(used(100 * DAY, "Inactive"), opts());
            assert.equal(old.decision, "delete");
            assert.match(old.reason, /\(inactive\)/);
            assert.equal(decideKey(used(2 * DAY, "Inactive"), opts()).decision, "keep");
            assert.equal(decideKey(neverUsed(90 * DAY, "Inactive"), opts()).decision, "delete");
        });
        it("are deleted in delete mode and kept in notify mode", () => {
            assert.equal(decideKey(used(2 * DAY, "Inactive"), opts({ action: "delete" })).decision, "delete");
            assert.equal(decideKey(used(200 * DAY, "Inactive"), opts({ action: "notify" })).decision, "keep");
        });
    });

    describe("actions", () => {
        it("notify never deletes, whatever the evidence, and hints what delete-unused would do", () => {
            for (const k of [used(0), used(200 * DAY), neverUsed(500 * DAY), { status: "Active" }]) {
                const d = decideKey(k, opts({ action: "notify" }));
                assert.equal(d.decision, "keep");
                assert.equal(d.eligible, false);
            }
            assert.match(decideKey(used(200 * DAY), opts({ action: "notify" })).reason, /delete-unused would remove it/);
            assert.doesNotMatch(decideKey(used(1 * DAY), opts({ action: "notify" })).reason, /would remove/);
        });
        it("delete removes every key, even one used a minute ago or with no dates", () => {
            for (const k of [used(60_000), used(200 * DAY), neverUsed(0), { status: "Active" }]) {
                assert.equal(decideKey(k, opts({ action: "delete" })).decision, "delete");
            }
        });
        it("dry run turns every delete into would-delete and leaves keeps alone", () => {
            for (const action of ["delete-unused", "delete"] as RemediationAction[]) {
                assert.equal(decideKey(used(200 * DAY), opts({ action, dryRun: true })).decision, "would-delete");
            }
            assert.match(decideKey(used(200 * DAY), opts({ dryRun: true })).reason, /dry run, nothing changed/);
            assert.equal(decideKey(used(1 * DAY), opts({ dryRun: true })).decision, "keep");
            assert.equal(decideKey(used(200 * DAY), opts({ action: "notify", dryRun: true })).decision, "keep");
        });
        it("where automation cannot act, an eligible key becomes manual (also in dry run); kept keys stay kept", () => {
            assert.equal(decideKey(used(200 * DAY), opts({ canAct: false })).decision, "manual");
            assert.equal(decideKey(used(200 * DAY), opts({ canAct: false, dryRun: true })).decision, "manual");
            assert.equal(decideKey(used(1 * DAY), opts({ action: "delete", canAct: false })).decision, "manual");
            assert.equal(decideKey(used(1 * DAY), opts({ canAct: false })).decision, "keep");
            assert.match(decideKey(used(200 * DAY), opts({ canAct: false })).reason, /automation cannot delete it here/);
        });
    });

    it("is exhaustive over action × dry run × canAct × age", () => {
        const ages = [0, 44 * DAY, 45 * DAY - 1, 45 * DAY, 46 * DAY, 200 * DAY];
        for (const action of ["notify", "delete-unused", "delete"] as RemediationAction[]) {
            for (const dryRun of [false, true]) {
                for (const canAct of [false, true]) {
                    for (const age of ages) {
                        for (const status of ["Active", "Inactive"]) {
                            const d = decideKey(used(age, status), opts({ action, dryRun, canAct }));
                            const eligible = action === "delete" || (action === "delete-unused" && age >= 45 * DAY);
                            const expected = !eligible ? "keep" : !canAct ? "manual" : dryRun ? "would-delete" : "delete";
                            assert.equal(d.decision, expected, `${action} dryRun=${dryRun} canAct=${canAct} age=${age / DAY}d ${status}`);
                            // The one property that matters most: nothing is deleted unless the settings allow it.
                            if (d.decision === "delete") assert.ok(!dryRun && canAct && action !== "notify");
                        }
                    }
                }
            }
        }
    });
});
