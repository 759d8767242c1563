/**
 * Organization mode: who may deploy it, and what the organization must have enabled first.
 *
 * What needs which account (stacks/components/organization-guardrails.ts, organization-forwarders.ts, docs/stacks.md):
 * - aws.iam.OrganizationsFeatures (manageOrganizationsFeatures) and organization-wide root activity alerts
 *   (rootActivityAlerts): the management account only (needs.ts, managementOnly).
 * - Organization Config rules, the aggregator, the remediator's sts:AssumeRoot and an organization trail: the
 *   management account, or a member registered as delegated administrator for config-multiaccountsetup, config,
 *   iam (and cloudtrail) (needs.ts, trustedServices).
 * - SCPs (serviceControlPolicies): the management account, or a member the management account delegated AWS
 *   Organizations policy management to. That delegation is not visible from the member.
 * The organization needs all features for all of them.
 */
import {
    DescribeOrganizationCommand,
    ListAWSServiceAccessForOrganizationCommand,
    ListDelegatedServicesForAccountCommand,
    ListRootsCommand,
    type DelegatedService,
    type Root,
} from "@aws-sdk/client-organizations";
import { awsFailureKind, errorCode } from "../../../aws/errors";
import { allPages } from "../../../core/paging";
import type { Check, CheckContext, OrganizationFacts } from "../check";
import { managementOnly, plannedScps, trustedServices, type TrustedService } from "../needs";
import { CallFailed, cannotCheck, fail, pass, type Outcome } from "../result";

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

/** The organization and whether the caller is its management account (otherwise a possible delegated administrator). */
export interface Deployer {
    org: OrganizationFacts;
    management: boolean;
}

/** Errors the services answer a member that is neither the management account nor their delegated administrator. */
const MEMBER_REFUSALS = new Set(["AccountNotManagementOrDelegatedAdministratorException", "AccountNotRegisteredException"]);

/** Where a fix must run when the caller is not the management account. */
export function fromManagement(deployer: Deployer, command: string): string {
    return deployer.management ? command : `from the management account ${deployer.org.managementAccountId}: ${command}`;
}

/**
 * Runs an organization check as the deploying account: the management account, or — when the config can be deployed
 * from a delegated administrator (manageOrganizationsFeatures false) — a member, whose reads AWS answers only if it
 * is one. A read refused to a member becomes cannot-check pointing at the management-account check, which says
 * what the member lacks. Outside an organization, or from a member when the config needs the management account,
 * the check cannot be judged.
 */
export async function asDeployer(ctx: CheckContext, check: (deployer: Deployer) => Promise<Outcome>): Promise<Outcome> {
    const org = await ctx.organization();
    const account = ctx.identity.account;
    if (org === null) return cannotCheck(`account ${account} is in no organization (see management-account)`);
    const deployer = { org, management: org.managementAccountId === account };
    const onlyManagement = managementOnly(ctx.config);
    if (!deployer.management && onlyManagement.length > 0) {
        return cannotCheck(
            `only the management account ${org.managementAccountId} can deploy this config (${onlyManagement.map((p) => `rootguard:${p.key}`).join(", ")}); the caller is member account ${account}`,
            `run doctor with credentials of account ${org.managementAccountId}`,
        );
    }
    try {
        return await check(deployer);
    } catch (err) {
        if (deployer.management || !(err instanceof CallFailed)) throw err;
        const code = errorCode(err.cause);
        if (awsFailureKind(err.cause) !== "access-denied" && !MEMBER_REFUSALS.has(code)) throw err;
        return cannotCheck(
            `${err.action} was refused (${code}): AWS answers it only for the management account ${org.managementAccountId} or a delegated administrator, and the caller is member account ${account} (see management-account)`,
            `run doctor from the management account ${org.managementAccountId}, or allow ${err.action} for the caller`,
        );
    }
}

async function delegatedServices(ctx: CheckContext, account: string): Promise<string[]> {
    try {
        const services = await ctx.call("organizations:ListDelegatedServicesForAccount", (abortSignal) =>
            allPages<DelegatedService>(async (NextToken) => {
                const page = await ctx.clients
                    .organizations()
                    .send(new ListDelegatedServicesForAccountCommand({ AccountId: account, NextToken }), { abortSignal });
                return { items: page.DelegatedServices, nextToken: page.NextToken };
            }),
        );
        return services.map((s) => s.ServicePrincipal ?? "");
    } catch (err) {
        // Organizations API reference: "The specified account is not a delegated administrator for this AWS service."
        if (err instanceof CallFailed && errorCode(err.cause) === "AccountNotRegisteredException") return [];
        throw err;
    }
}

export const managementAccountCheck: Check = {
    id: "management-account",
    title: "Management account or delegated administrator",
    permissions: ["organizations:DescribeOrganization", "organizations:ListDelegatedServicesForAccount"],
    notNeeded: (config) => (config.mode === "organization" ? undefined : ORGANIZATION_ONLY),
    run: async (ctx) => {
        const org = await ctx.organization();
        const account = ctx.identity.account;
        const mgmt = org?.managementAccountId;
        if (org === null) return fail(`mode is organization but account ${account} is in no organization`, CREATE_ORGANIZATION);
        if (org.featureSet !== "ALL") {
            return fail(
                `${org.id} has feature set ${org.featureSet || "unknown"}: organization Config rules, SCPs and centralized root access need all features`,
                "aws organizations enable-all-features (every member account must approve)",
            );
        }
        if (mgmt === account) return pass(`account ${account} is the management account of ${org.id} (all features)`);
        const onlyManagement = managementOnly(ctx.config);
        if (onlyManagement.length > 0) {
            return fail(
                `account ${account} is a member of ${org.id}, and ${onlyManagement.map((p) => `rootguard:${p.key} is true: ${p.why}`).join("; ")} (${mgmt})`,
                `run doctor and pulumi up with credentials of account ${mgmt}; or, to deploy from this account as delegated administrator: ${onlyManagement.map((p) => p.instead).join("; and ")}`,
            );
        }
        let delegated: string[];
        try {
            delegated = await delegatedServices(ctx, account);
        } catch (err) {
            if (!(err instanceof CallFailed) || awsFailureKind(err.cause) !== "access-denied") throw err;
            // Organizations refuses this read to members that administer nothing, and to callers without the permission.
            return cannotCheck(
                `${err.action} was refused (${errorCode(err.cause)}): account ${account} is no delegated administrator in ${org.id}, or the caller may not call it`,
                `from the management account ${mgmt}: ${registerCommands(account, trustedServices(ctx.config))}; or allow ${err.action} for the caller`,
            );
        }
        const missing = trustedServices(ctx.config).filter((s) => !delegated.includes(s.principal));
        if (missing.length > 0) {
            return fail(
                `account ${account} is a member of ${org.id} but not its delegated administrator for ${missing.map((s) => `${s.principal} (${s.why})`).join(", ")}: deploying organization mode from it would be refused`,
                `from the management account ${mgmt}: ${registerCommands(account, missing)}; or run doctor and pulumi up with credentials of account ${mgmt}`,
            );
        }
        const scps = plannedScps(ctx.config) ? "; its SCPs also need policy management delegated to it (see scp-policy-type)" : "";
        return pass(
            `account ${account} is the delegated administrator for ${trustedServices(ctx.config)
                .map((s) => s.principal)
                .join(", ")} in ${org.id} (all features)${scps}`,
        );
    },
};

function registerCommands(account: string, services: TrustedService[]): string {
    return services.map((s) => s.register(account)).join(" && ");
}

const SCP = "SERVICE_CONTROL_POLICY";

export const scpCheck: Check = {
    id: "scp-policy-type",
    title: "Service control policies enabled",
    permissions: ["organizations:DescribeOrganization", "organizations:ListRoots"],
    notNeeded: (config) =>
        plannedScps(config) ? undefined : config.mode === "organization" ? "serviceControlPolicies is false" : ORGANIZATION_ONLY,
    run: (ctx) =>
        asDeployer(ctx, async (deployer) => {
            const roots = await ctx.call("organizations:ListRoots", (abortSignal) =>
                allPages<Root>(async (NextToken) => {
                    const page = await ctx.clients.organizations().send(new ListRootsCommand({ NextToken }), { abortSignal });
                    return { items: page.Roots, nextToken: page.NextToken };
                }),
            );
            const root = roots[0];
            if (!root?.Id) return cannotCheck(`organizations:ListRoots returned no root for ${deployer.org.id}`);
            const problems: string[] = [];
            const fixes: string[] = [];
            const status = root.PolicyTypes?.find((p) => p.Type === SCP)?.Status;
            if (status !== "ENABLED" && status !== "PENDING_ENABLE") {
                problems.push(`SCPs are not enabled on root ${root.Id}${status ? ` (${status})` : ""}`);
                fixes.push(fromManagement(deployer, `aws organizations enable-policy-type --root-id ${root.Id} --policy-type ${SCP}`));
            }
            const wrongRoots = ctx.config.scpTargets.filter((t) => t.startsWith("r-") && t !== root.Id);
            if (wrongRoots.length > 0) {
                problems.push(`rootguard:scpTargets names ${wrongRoots.join(", ")} but the organization's root is ${root.Id}`);
                fixes.push(`replace ${wrongRoots.join(", ")} with ${root.Id} in rootguard:scpTargets`);
            }
            if (problems.length > 0) return fail(problems.join("; "), fixes.join(" and "));
            const enabled = `SCPs are ${status === "ENABLED" ? "enabled" : "being enabled"} on root ${root.Id}`;
            if (deployer.management) return pass(enabled);
            // The delegation is a resource policy of the management account's: a member cannot see it.
            const account = ctx.identity.account;
            return cannotCheck(
                `${enabled}, but account ${account} is not the management account: it can create SCPs only if AWS Organizations policy management for ${SCP} is delegated to it, which a member cannot see`,
                `delegate it from the management account ${deployer.org.managementAccountId} (Organizations console → Settings → Delegated administrator for AWS Organizations), or pulumi config set rootguard:serviceControlPolicies false`,
            );
        }),
};

export const trustedAccessCheck: Check = {
    id: "trusted-access",
    title: "Trusted access for the stack's services",
    permissions: ["organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization"],
    notNeeded: (config) => (trustedServices(config).length > 0 ? undefined : ORGANIZATION_ONLY),
    run: (ctx) =>
        asDeployer(ctx, async (deployer) => {
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
                    fromManagement(deployer, missing.map((s) => s.enable).join(" && ")),
                );
            }
            const on = needed.filter((s) => enabled.has(s.principal)).map((s) => s.principal);
            return pass(`trusted access enabled for ${on.length ? on.join(", ") : "none yet"}${later}`);
        }),
};
