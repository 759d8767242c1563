/** The shape every doctor check has, and what a check may use while it runs. */
import type { RootguardConfig } from "../../../stacks/config";
import type { DoctorClients } from "./clients";
import type { Outcome } from "./result";

export interface CallerIdentity {
    account: string;
    arn: string;
    /** From the caller's ARN: aws, aws-cn, aws-us-gov, … */
    partition: string;
}

export interface OrganizationFacts {
    id: string;
    managementAccountId: string;
    /** ALL or CONSOLIDATED_BILLING */
    featureSet: string;
}

/**
 * The stack's config as doctor checks it: `createRecorder` is undefined while the stack leaves it unset (pulumi up
 * refuses to run then; the config-recorder check says which value the account needs).
 */
export type DoctorConfig = Omit<RootguardConfig, "createRecorder"> & { createRecorder: boolean | undefined };

export interface CheckContext {
    config: DoctorConfig;
    /** The stack's region: where the stack deploys and where doctor looks. */
    region: string;
    identity: CallerIdentity;
    clients: DoctorClients;
    /**
     * Sends one AWS request named by its IAM action (for the cannot-check line and the deadline message).
     * A failure comes out as CallFailed.
     */
    call<T>(action: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T>;
    /** The caller's organization (organizations:DescribeOrganization, read once per run); null outside one. */
    organization(): Promise<OrganizationFacts | null>;
}

export interface Check {
    id: string;
    title: string;
    /** Every IAM action the check may call: the docs' permission table and a test are built from these. */
    permissions: readonly string[];
    /** Why this config does not need the check, or undefined when it does. */
    notNeeded(config: DoctorConfig): string | undefined;
    run(ctx: CheckContext): Promise<Outcome>;
}
