/**
 * Root activity alerts match "AWS API Call via CloudTrail" and console sign-in events on EventBridge, which
 * CloudTrail delivers only while a trail is logging (EventBridge user guide, "Events from AWS services").
 * Root calls happen in any region and sign-ins arrive in the partition's global-events region, so the trail
 * must be multi-region and log write management events. An organization trail counts in every member.
 */
import {
    DescribeTrailsCommand,
    GetEventSelectorsCommand,
    GetTrailStatusCommand,
    type AdvancedEventSelector,
    type EventSelector,
    type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { Check, CheckContext } from "../check";
import { needsTrail } from "../needs";
import { CallFailed, fail, pass } from "../result";

/** Whether the selectors log write management events (basic or advanced selectors, CloudTrail API reference). */
export function logsWriteManagementEvents(selectors: {
    EventSelectors?: EventSelector[];
    AdvancedEventSelectors?: AdvancedEventSelector[];
}): boolean {
    const basic = (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false && s.ReadWriteType !== "ReadOnly");
    const advanced = (selectors.AdvancedEventSelectors ?? []).some((sel) => {
        const fields = sel.FieldSelectors ?? [];
        const category = fields.find((f) => f.Field === "eventCategory");
        if (!category?.Equals?.includes("Management")) return false;
        const readOnly = fields.find((f) => f.Field === "readOnly");
        return !(readOnly?.Equals?.length === 1 && readOnly.Equals[0] === "true");
    });
    return basic || advanced;
}

type Verdict = { ok: true } | { ok: false; problem: string; fix: string } | { ok: "unknown"; error: CallFailed };

async function judge(ctx: CheckContext, trail: Trail): Promise<Verdict> {
    const name = trail.TrailARN ?? trail.Name ?? "";
    const client = ctx.clients.cloudtrail(trail.HomeRegion ?? ctx.region);
    const home = trail.HomeRegion ?? ctx.region;
    try {
        const status = await ctx.call("cloudtrail:GetTrailStatus", (abortSignal) =>
            client.send(new GetTrailStatusCommand({ Name: name }), { abortSignal }),
        );
        if (!status.IsLogging) {
            return {
                ok: false,
                problem: `trail ${trail.Name} is not logging`,
                fix: trail.IsOrganizationTrail
                    ? `start it from the management account: aws cloudtrail start-logging --name ${name} --region ${home}`
                    : `aws cloudtrail start-logging --name ${name} --region ${home}`,
            };
        }
        const selectors = await ctx.call("cloudtrail:GetEventSelectors", (abortSignal) =>
            client.send(new GetEventSelectorsCommand({ TrailName: name }), { abortSignal }),
        );
        if (!logsWriteManagementEvents(selectors)) {
            return {
                ok: false,
                problem: `trail ${trail.Name} does not log write management events`,
                fix: `CloudTrail console (${home}) → Trails → ${trail.Name} → Management events → Edit: select Write (or All)`,
            };
        }
        return { ok: true };
    } catch (err) {
        // Another trail may still pass; if none does, this error is what the user must fix first.
        if (err instanceof CallFailed) return { ok: "unknown", error: err };
        throw err;
    }
}

const CREATE_TRAIL =
    "pulumi config set rootguard:createTrail true (the stack creates one), or aws cloudtrail create-trail --name rootguard-trail --s3-bucket-name <bucket> --is-multi-region-trail && aws cloudtrail start-logging --name rootguard-trail (the bucket needs CloudTrail's bucket policy), or pulumi config set rootguard:rootActivityAlerts false";

export const trailCheck: Check = {
    id: "trail",
    title: "Multi-region CloudTrail trail",
    permissions: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
    notNeeded: (config) =>
        needsTrail(config)
            ? undefined
            : config.rootActivityAlerts
              ? "createTrail is true: pulumi up creates the multi-region trail"
              : "rootActivityAlerts is false",
    run: async (ctx) => {
        const described = await ctx.call("cloudtrail:DescribeTrails", (abortSignal) =>
            ctx.clients.cloudtrail(ctx.region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal }),
        );
        const trails = described.trailList ?? [];
        const multi = trails.filter((t) => t.IsMultiRegionTrail);
        if (multi.length === 0) {
            const single = trails[0];
            if (single) {
                return fail(
                    `no multi-region trail (trail ${single.Name} covers ${single.HomeRegion ?? "one region"} only): root activity in other regions would go unseen`,
                    `aws cloudtrail update-trail --name ${single.TrailARN ?? single.Name} --is-multi-region-trail --region ${single.HomeRegion ?? ctx.region}`,
                );
            }
            return fail(
                `no CloudTrail trail: root API calls and sign-ins never reach EventBridge, so root activity alerts stay silent`,
                CREATE_TRAIL,
            );
        }
        // Organization trails first: they cover every account, the caller's included.
        multi.sort((a, b) => Number(Boolean(b.IsOrganizationTrail)) - Number(Boolean(a.IsOrganizationTrail)));
        const verdicts: Verdict[] = [];
        for (const trail of multi) {
            const verdict = await judge(ctx, trail);
            if (verdict.ok === true) {
                const kind = trail.IsOrganizationTrail ? "organization trail" : "multi-region trail";
                return pass(`${kind} ${trail.Name} (home ${trail.HomeRegion}) is logging write management events`);
            }
            verdicts.push(verdict);
        }
        const failed = verdicts.filter((v): v is Extract<Verdict, { ok: false }> => v.ok === false);
        const unknown = verdicts.find((v): v is Extract<Verdict, { ok: "unknown" }> => v.ok === "unknown");
        if (failed.length === 0 && unknown) throw unknown.error;
        return fail(failed.map((v) => v.problem).join("; "), failed[0].fix);
    },
};
