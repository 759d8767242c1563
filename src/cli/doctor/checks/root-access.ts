/**
 * Centralized root access (RootCredentialsManagement, RootSessions): the remediator's AssumeRoot sessions need
 * both. The stack enables them when manageOrganizationsFeatures is true (management account only); otherwise they
 * must already be on, and only the management account can turn them on.
 */
import { ListOrganizationsFeaturesCommand } from "@aws-sdk/client-iam";
import { errorCode } from "../../../aws/errors";
import type { Check } from "../check";
import { CallFailed, cannotCheck, fail, pass } from "../result";
import { asDeployer, fromManagement } from "./organization";

const FEATURES = ["RootCredentialsManagement", "RootSessions"];
const ENABLE_COMMANDS = "aws iam enable-organizations-root-credentials-management && aws iam enable-organizations-root-sessions";
const ENABLE_IAM_ACCESS = "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com";

export const rootAccessCheck: Check = {
    id: "root-access",
    title: "Centralized root access",
    permissions: ["organizations:DescribeOrganization", "iam:ListOrganizationsFeatures"],
    notNeeded: (config) => (config.mode === "organization" ? undefined : "mode is account"),
    run: (ctx) =>
        asDeployer(ctx, async (deployer) => {
            const { org } = deployer;
            const manage = ctx.config.manageOrganizationsFeatures;
            let enabled: string[];
            try {
                const out = await ctx.call("iam:ListOrganizationsFeatures", (abortSignal) =>
                    ctx.clients.iam().send(new ListOrganizationsFeaturesCommand({}), { abortSignal }),
                );
                enabled = out.EnabledFeatures ?? [];
            } catch (err) {
                // The documented errors of ListOrganizationsFeatures (IAM API reference) that say what to fix.
                const code = err instanceof CallFailed ? errorCode(err.cause) : "";
                if (code === "ServiceAccessNotEnabledException") {
                    return fail(
                        `trusted access for IAM is not enabled in ${org.id}, so centralized root access can be neither read nor enabled`,
                        fromManagement(deployer, ENABLE_IAM_ACCESS),
                    );
                }
                if (code === "OrganizationNotInAllFeaturesModeException") {
                    return fail(
                        `${org.id} does not have all features enabled`,
                        fromManagement(deployer, "aws organizations enable-all-features (every member account must approve)"),
                    );
                }
                if (code === "AccountNotManagementOrDelegatedAdministratorException" || code === "OrganizationNotFoundException") {
                    return cannotCheck(`IAM answered ${code} (see management-account)`);
                }
                throw err;
            }
            const missing = FEATURES.filter((f) => !enabled.includes(f));
            if (missing.length === 0) return pass(`${FEATURES.join(" and ")} are enabled for ${org.id}`);
            if (manage)
                return pass(
                    `${missing.join(" and ")} not enabled yet: pulumi up enables them (rootguard:manageOrganizationsFeatures is true)`,
                );
            return fail(
                `${missing.join(" and ")} not enabled for ${org.id} and rootguard:manageOrganizationsFeatures is false: the remediator's AssumeRoot sessions will be refused`,
                deployer.management
                    ? `${ENABLE_COMMANDS}, or pulumi config set rootguard:manageOrganizationsFeatures true`
                    : fromManagement(deployer, ENABLE_COMMANDS),
            );
        }),
};
