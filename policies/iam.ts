/** IAM resources: credentials for a user named root, and unrestricted sts:AssumeRoot grants. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AUDIT_TASK_POLICY, DELETE_TASK_POLICY, taskPolicyArn, taskPolicyName } from "../src/core/aws-facts";
import {
    POSITIVE_MATCH_OPERATORS,
    conditionsOn,
    effectIs,
    hasWildcard,
    isLikeOperator,
    matchingAction,
    readPolicyDocument,
    statementCoversAction,
    statementLabel,
    type PolicyStatement,
    type Tri,
} from "../src/core/iam-policy";
import { rawProps, readProp } from "../src/core/pulumi-values";
import { boolOption, rawConfig, stringListOption, stringListSchema, strictSchema } from "./config";
import { guardResource } from "./guard";
import { identityPolicyDocuments } from "./policy-documents";
import { IAM, NATIVE_IAM } from "./resource-types";

export const NO_ROOT_ACCESS_KEY_RESOURCE = "no-root-access-key-resource";
export const RESTRICT_ASSUME_ROOT = "restrict-assume-root";

const ROOT_USER_FIELDS: Record<string, { field: string; what: string }> = {
    [IAM.accessKey]: { field: "user", what: "an access key" },
    [IAM.userLoginProfile]: { field: "user", what: "a console password (login profile)" },
    [IAM.signingCertificate]: { field: "userName", what: "a signing certificate" },
    [IAM.sshKey]: { field: "username", what: "an SSH public key" },
    [IAM.serviceSpecificCredential]: { field: "userName", what: "a service-specific credential" },
    [IAM.user]: { field: "name", what: "an IAM user" },
    [NATIVE_IAM.user]: { field: "userName", what: "an IAM user" },
};

function isRootName(value: unknown): boolean {
    return typeof value === "string" && value.trim().toLowerCase() === "root";
}

export const noRootAccessKeyResource: ResourceValidationPolicy = {
    name: NO_ROOT_ACCESS_KEY_RESOURCE,
    displayName: "No credentials for a user named root",
    description:
        "IAM resources must not create credentials (access keys, login profiles, signing certificates, SSH keys, service-specific " +
        "credentials) for, or create an IAM user named, 'root'.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: strictSchema({}),
    validateResource: guardResource(NO_ROOT_ACCESS_KEY_RESOURCE, (args, report) => {
        const target = ROOT_USER_FIELDS[args.type];
        if (!target) return;
        const value = readProp(rawProps(args.props), target.field);
        if (!isRootName(value)) return;
        const isUser = args.type === IAM.user || args.type === NATIVE_IAM.user;
        const what = isUser
            ? `creates an IAM user named '${String(value).trim()}' (${target.field})`
            : `creates ${target.what} for the user '${String(value).trim()}' (${target.field})`;
        report({
            message:
                `Resource '${args.name}' (${args.type}) ${what}. The account root user's credentials cannot be managed through IAM; ` +
                "a resource aimed at 'root' either impersonates the root user (confusing audits, alerts and people who act on them) or tries to give it credentials.\n" +
                "Fix: give the IAM user a descriptive name, prefer IAM roles over long-term credentials, and never create root access keys.",
        });
    }),
};

export const DEFAULT_ALLOWED_TASK_POLICIES: readonly string[] = [AUDIT_TASK_POLICY, DELETE_TASK_POLICY];
const ASSUME_ROOT = "sts:AssumeRoot";
const TASK_POLICY_KEY = "sts:TaskPolicyArn";

export interface AllowedTaskPolicies {
    names: Set<string>;
    arns: Set<string>;
}

/** Config entries may be task policy names or full ARNs; documents may use any partition. */
export function allowedTaskPolicies(entries: readonly string[]): AllowedTaskPolicies {
    const names = new Set<string>();
    const arns = new Set<string>();
    for (const e of entries.map((s) => s.trim()).filter((s) => s !== "")) {
        const name = taskPolicyName(e);
        if (name) names.add(name);
        else if (e.startsWith("arn:")) arns.add(e);
        else names.add(e);
    }
    return { names, arns };
}

function valueAllowed(value: string, like: boolean, allowed: AllowedTaskPolicies): boolean {
    // A pattern could match task policies nobody allowed, now or later.
    if (like && hasWildcard(value)) return false;
    if (value.includes("${")) return false;
    const name = taskPolicyName(value);
    return (name !== undefined && allowed.names.has(name)) || allowed.arns.has(value);
}

/** Whether a statement's sts:TaskPolicyArn conditions confine AssumeRoot to allowed task policies. */
export function taskPolicyRestricted(st: PolicyStatement, allowed: AllowedTaskPolicies): Tri {
    let unknown = st.conditionsUnknown;
    for (const c of conditionsOn(st, TASK_POLICY_KEY, POSITIVE_MATCH_OPERATORS)) {
        if (c.hasUnknown) {
            unknown = true;
            continue;
        }
        if (c.values.length > 0 && c.values.every((v) => valueAllowed(v, isLikeOperator(c), allowed))) return true;
    }
    return unknown ? "unknown" : false;
}

function grantVia(st: PolicyStatement, includeFull: boolean): string {
    const hit = matchingAction(st, ASSUME_ROOT, includeFull);
    return hit !== undefined ? `Action "${hit}"` : "NotAction (which does not exclude it)";
}

export const restrictAssumeRoot: ResourceValidationPolicy = {
    name: RESTRICT_ASSUME_ROOT,
    displayName: "Restrict sts:AssumeRoot to allowed task policies",
    description:
        "IAM policy documents that allow sts:AssumeRoot (directly, via sts:*, sts:Assume*, or NotAction) must limit it with an " +
        "sts:TaskPolicyArn condition to the allowed root task policies.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: strictSchema({
        allowedTaskPolicies: stringListSchema(
            DEFAULT_ALLOWED_TASK_POLICIES,
            "Root task policies AssumeRoot may use: names (IAMAuditRootUserCredentials) or full ARNs.",
        ),
        includeFullWildcard: {
            type: "boolean",
            default: false,
            description: 'Also flag a bare "*" action (administrator policies), not just sts-scoped grants.',
        },
    }),
    validateResource: guardResource(RESTRICT_ASSUME_ROOT, (args, report) => {
        const docs = identityPolicyDocuments(args.type, args.props);
        if (docs.length === 0) return;
        const config = rawConfig(args);
        const allowedEntries = stringListOption(config, "allowedTaskPolicies", DEFAULT_ALLOWED_TASK_POLICIES);
        const allowed = allowedTaskPolicies(allowedEntries);
        const includeFull = boolOption(config, "includeFullWildcard", false);
        const findings: string[] = [];
        for (const doc of docs) {
            const read = readPolicyDocument(doc.value);
            // Unknown during preview or unparseable: nothing we can stand behind as a mandatory finding.
            if (read.kind !== "document") continue;
            read.statements.forEach((st, i) => {
                if (effectIs(st, "Allow") !== true) return;
                if (statementCoversAction(st, ASSUME_ROOT, { includeFullWildcard: includeFull }) !== true) return;
                if (taskPolicyRestricted(st, allowed) !== false) return;
                findings.push(`  - ${doc.path}, ${statementLabel(st, i)}: allows sts:AssumeRoot via ${grantVia(st, includeFull)}`);
            });
        }
        if (findings.length === 0) return;
        const allowedList = allowedEntries.length > 0 ? allowedEntries.join(", ") : "(none allowed)";
        const example = JSON.stringify({
            StringEquals: { [TASK_POLICY_KEY]: DEFAULT_ALLOWED_TASK_POLICIES.map((n) => taskPolicyArn(n)) },
        });
        report({
            message: [
                `Resource '${args.name}' (${args.type}) allows sts:AssumeRoot without an sts:TaskPolicyArn condition limited to the allowed task policies (${allowedList}):`,
                ...findings,
                "AssumeRoot opens a root-user session in a member account; without the condition the caller picks any task policy, including " +
                    "IAMCreateRootUserPassword and IAMEnableRootUserCredentialsRecovery, which hand over the root user.",
                `Fix: scope the statement to sts:AssumeRoot with "Condition": ${example} ` +
                    "(or allow more task policies with this policy's allowedTaskPolicies config).",
            ].join("\n"),
        });
    }),
};

export const iamPolicies = [noRootAccessKeyResource, restrictAssumeRoot];
