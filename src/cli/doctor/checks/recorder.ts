/**
 * The Config rules need a customer managed configuration recorder that is recording in the stack's region:
 * without one, PutConfigRule fails with NoAvailableConfigurationRecorderException. With createRecorder the
 * stack makes one, which fails if the region already has one (one customer managed recorder per region).
 * Service-linked recorders (servicePrincipal set) belong to other services and do not count.
 */
import {
    DescribeConfigurationRecordersCommand,
    DescribeConfigurationRecorderStatusCommand,
    type ConfigurationRecorder,
    RecorderStatus,
} from "@aws-sdk/client-config-service";
import type { Check } from "../check";
import { fail, pass } from "../result";

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
        const members =
            config.mode === "organization"
                ? "; every other account the organization rules cover needs one too (not checked here: list accounts without one in rootguard:excludedAccounts)"
                : "";
        if (config.createRecorder) {
            if (own.length === 0) return pass(`no recorder in ${region} yet: the stack creates one (rootguard:createRecorder)${members}`);
            return fail(
                `rootguard:createRecorder is true but ${region} already has recorder ${own[0].name}: a region holds one customer managed recorder`,
                "pulumi config set rootguard:createRecorder false",
            );
        }
        if (own.length === 0) {
            return fail(
                `no AWS Config recorder in ${region}: creating the Config rules would fail (NoAvailableConfigurationRecorderException)`,
                `pulumi config set rootguard:createRecorder true, or set up AWS Config in ${region} (Config console → Get started)`,
            );
        }
        const name = own[0].name ?? "default";
        const statuses = await ctx.call("config:DescribeConfigurationRecorderStatus", (abortSignal) =>
            ctx.clients
                .config()
                .send(new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [name] }), { abortSignal }),
        );
        const status = (statuses.ConfigurationRecordersStatus ?? []).find((s) => s.name === name);
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
    },
};
