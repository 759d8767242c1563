/**
 * The Config rules need a customer managed configuration recorder that is recording in the stack's region:
 * without one, PutConfigRule fails with NoAvailableConfigurationRecorderException. With createRecorder the
 * stack makes one, which fails if the region already has one (one customer managed recorder per region).
 * Service-linked recorders (servicePrincipal set) belong to other services and do not count.
 *
 * createRecorder is required (Pulumi.yaml gives it no default): while it is unset, pulumi up refuses to run, and
 * this check fails with the value the account calls for.
 */
import {
    DescribeConfigurationRecordersCommand,
    DescribeConfigurationRecorderStatusCommand,
    type ConfigurationRecorder,
    type ConfigurationRecorderStatus,
    RecorderStatus,
} from "@aws-sdk/client-config-service";
import type { Check, CheckContext } from "../check";
import { fail, pass, type Outcome } from "../result";

async function recorderStatus(ctx: CheckContext, name: string): Promise<ConfigurationRecorderStatus | undefined> {
    const statuses = await ctx.call("config:DescribeConfigurationRecorderStatus", (abortSignal) =>
        ctx.clients.config().send(new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [name] }), { abortSignal }),
    );
    return (statuses.ConfigurationRecordersStatus ?? []).find((s) => s.name === name);
}

/** The recorder the stack would use: pass while it records, else the command that starts it. */
async function existing(ctx: CheckContext, name: string, members: string): Promise<Outcome> {
    const { region } = ctx;
    const status = await recorderStatus(ctx, name);
    if (!status?.recording) {
        return fail(
            `recorder ${name} in ${region} is not recording: the periodic rules would never evaluate`,
            `aws configservice start-configuration-recorder --configuration-recorder-name ${name} --region ${region}`,
        );
    }
    const last =
        status.lastStatus === RecorderStatus.Failure
            ? ` (last status ${status.lastStatus}${status.lastErrorCode ? `: ${status.lastErrorCode}` : ""})`
            : "";
    return pass(`recorder ${name} is recording in ${region}${last}${members}`);
}

export const recorderCheck: Check = {
    id: "config-recorder",
    title: "AWS Config recorder",
    permissions: ["config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"],
    notNeeded: () => undefined,
    run: async (ctx) => {
        const { region, config } = ctx;
        const all = await ctx.call("config:DescribeConfigurationRecorders", (abortSignal) =>
            ctx.clients.config().send(new DescribeConfigurationRecordersCommand({}), { abortSignal }),
        );
        const own = (all.ConfigurationRecorders ?? []).filter((r: ConfigurationRecorder) => !r.servicePrincipal);
        const name = own[0]?.name ?? "default";
        const members =
            config.mode === "organization"
                ? "; every other account the organization rules cover needs one too (not checked here: list accounts without one in rootguard:excludedAccounts)"
                : "";
        if (config.createRecorder === undefined) {
            const unset = "rootguard:createRecorder is not set, so pulumi up will refuse to run";
            if (own.length === 0) {
                return fail(
                    `${unset}; ${region} has no customer managed recorder, so the stack must create one`,
                    "pulumi config set rootguard:createRecorder true",
                );
            }
            const use = await existing(ctx, name, "");
            return fail(
                `${unset}; ${region} already has recorder ${name}, so the stack must use it${use.status === "pass" ? "" : ` (${use.detail})`}`,
                ["pulumi config set rootguard:createRecorder false", use.fix].filter(Boolean).join(" and "),
            );
        }
        if (config.createRecorder) {
            if (own.length === 0) return pass(`no recorder in ${region} yet: the stack creates one (rootguard:createRecorder)${members}`);
            return fail(
                `rootguard:createRecorder is true but ${region} already has recorder ${name}: a region holds one customer managed recorder`,
                "pulumi config set rootguard:createRecorder false",
            );
        }
        if (own.length === 0) {
            return fail(
                `no AWS Config recorder in ${region}: creating the Config rules would fail (NoAvailableConfigurationRecorderException)`,
                `pulumi config set rootguard:createRecorder true, or set up AWS Config in ${region} (Config console → Get started)`,
            );
        }
        return existing(ctx, name, members);
    },
};
