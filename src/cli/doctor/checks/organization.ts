/**
 * Organization mode: the caller must be the management account of an organization with all features (SCPs and
 * aws.iam.OrganizationsFeatures refuse anyone else), SCPs must be enabled on the root, and the services the
 * stack integrates with need trusted access.
 */
import {
    DescribeOrganizationCommand,
    ListAWSServiceAccessForOrganizationCommand,
    ListRootsCommand,
    type Root,
} from "@aws-sdk/client-organizations";
import { errorCode } from "../../../aws/errors";
import { allPages } from "../../../core/paging";
import type { Check, CheckContext, OrganizationFacts } from "../check";
import { needsManagementAccount, trustedServices } from "../needs";
import { cannotCheck, fail, pass, type Outcome } from "../result";

const ORGANIZATION_ONLY = "mode is account";

/** organizations:DescribeOrganization: null when the account is in no organization. */
export async function describeOrganization(clients: CheckContext["clients"], abortSignal: AbortSignal): Promise<OrganizationFacts | null> {
    try {
        const out = await clients.organizations().send(new DescribeOrganizationCommand({}), { abortSignal });
        const org = out.Organization ?? {};
        return { id: org.Id ?? "", managementAccountId: org.MasterAccountId ?? "", featureSet: org.FeatureSet ?? "" };
    } catch (err) {
        if (errorCode(err) === "AWSOrganizationsNotInUseException") return null;
        throw err;
    }
}

const CREATE_ORGANIZATION = "aws organizations create-organization --feature-set ALL, or pulumi config set rootguard:mode account";

/** The organization when the caller is its management account; otherwise the cannot-check line to print. */
export async function asManagementAccount(ctx: CheckContext): Promise<OrganizationFacts | Outcome> {
    const org = await ctx.organization();
    if (org === null) return cannotCheck(`account ${ctx.identity.account} is in no organization (see management-account)`);
    if (org.managementAccountId !== ctx.identity.account) {
        return cannotCheck(
            `only the management account ${org.managementAccountId} can read this; the caller is member account ${ctx.identity.account}`,
            `run doctor with credentials of account ${org.managementAccountId}`,
        );
    }
    return org;
}

export function isOutcome(value: OrganizationFacts | Outcome): value is Outcome {
    return "status" in value;
}

export const managementAccountCheck: Check = {
    id: "management-account",
    title: "Management account",
    permissions: ["organizations:DescribeOrganization"],
    notNeeded: (config) => (needsManagementAccount(config) ? undefined : ORGANIZATION_ONLY),
    run: async (ctx) => {
        const org = await ctx.organization();
        const account = ctx.identity.account;
        if (org === null) return fail(`mode is organization but account ${account} is in no organization`, CREATE_ORGANIZATION);
        if (org.managementAccountId !== account) {
            return fail(
                `account ${account} is a member of ${org.id}: SCPs and centralized root access can only be managed from its management account ${org.managementAccountId}`,
                `run doctor and pulumi up with credentials of account ${org.managementAccountId}`,
            );
        }
        if (org.featureSet !== "ALL") {
            return fail(
                `${org.id} has feature set ${org.featureSet || "unknown"}: SCPs and centralized root access need all features`,
                "aws organizations enable-all-features (every member account must approve)",
            );
        }
        return pass(`account ${account} is the management account of ${org.id} (all features)`);
    },
};

const SCP = "SERVICE_CONTROL_POLICY";

export const scpCheck: Check = {
    id: "scp-policy-type",
    title: "Service control policies enabled",
    permissions: ["organizations:DescribeOrganization", "organizations:ListRoots"],
    notNeeded: (config) => (config.mode === "organization" ? undefined : ORGANIZATION_ONLY),
    run: async (ctx) => {
        const org = await asManagementAccount(ctx);
        if (isOutcome(org)) return org;
        const roots = await ctx.call("organizations:ListRoots", (abortSignal) =>
            allPages<Root>(async (NextToken) => {
                const page = await ctx.clients.organizations().send(new ListRootsCommand({ NextToken }), { abortSignal });
                return { items: page.Roots, nextToken: page.NextToken };
            }),
        );
        const root = roots[0];
        if (!root?.Id) return cannotCheck(`organizations:ListRoots returned no root for ${org.id}`);
        const problems: string[] = [];
        const fixes: string[] = [];
        const status = root.PolicyTypes?.find((p) => p.Type === SCP)?.Status;
        if (status !== "ENABLED" && status !== "PENDING_ENABLE") {
            problems.push(`SCPs are not enabled on root ${root.Id}${status ? ` (${status})` : ""}`);
            fixes.push(`aws organizations enable-policy-type --root-id ${root.Id} --policy-type ${SCP}`);
        }
        const wrongRoots = ctx.config.scpTargets.filter((t) => t.startsWith("r-") && t !== root.Id);
        if (wrongRoots.length > 0) {
            problems.push(`rootguard:scpTargets names ${wrongRoots.join(", ")} but the organization's root is ${root.Id}`);
            fixes.push(`replace ${wrongRoots.join(", ")} with ${root.Id} in rootguard:scpTargets`);
        }
        if (problems.length > 0) return fail(problems.join("; "), fixes.join(" and "));
        return pass(`SCPs are ${status === "ENABLED" ? "enabled" : "being enabled"} on root ${root.Id}`);
    },
};

export const trustedAccessCheck: Check = {
    id: "trusted-access",
    title: "Trusted access for the stack's services",
    permissions: ["organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization"],
    notNeeded: (config) => (trustedServices(config).length > 0 ? undefined : ORGANIZATION_ONLY),
    run: async (ctx) => {
        const org = await asManagementAccount(ctx);
        if (isOutcome(org)) return org;
        const enabled = new Set(
            (
                await ctx.call("organizations:ListAWSServiceAccessForOrganization", (abortSignal) =>
                    allPages(async (NextToken) => {
                        const page = await ctx.clients
                            .organizations()
                            .send(new ListAWSServiceAccessForOrganizationCommand({ NextToken }), { abortSignal });
                        return { items: page.EnabledServicePrincipals, nextToken: page.NextToken };
                    }),
                )
            ).map((s) => s.ServicePrincipal),
        );
        const needed = trustedServices(ctx.config);
        const missing = needed.filter((s) => !enabled.has(s.principal) && !s.enabledByStack);
        const byStack = needed.filter((s) => !enabled.has(s.principal) && s.enabledByStack);
        const later = byStack.length
            ? `; pulumi up enables ${byStack.map((s) => s.principal).join(", ")} itself (the deployer needs organizations:EnableAWSServiceAccess)`
            : "";
        if (missing.length > 0) {
            return fail(
                `trusted access is not enabled for ${missing.map((s) => `${s.principal} (${s.why})`).join(", ")}${later}`,
                missing.map((s) => `aws organizations enable-aws-service-access --service-principal ${s.principal}`).join(" && "),
            );
        }
        const on = needed.filter((s) => enabled.has(s.principal)).map((s) => s.principal);
        return pass(`trusted access enabled for ${on.length ? on.join(", ") : "none yet"}${later}`);
    },
};
