/** scp-root-deny-exempts-assume-root: SCPs that deny root must leave centralized root access working. */
import { strictSchema } from "./config";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ASSUME_ROOT_EXEMPTION, DELETE_TASK_ACTIONS, ROOT_PRINCIPAL_ARN_PATTERN } from "../src/core/aws-facts";
import {
    POSITIVE_MATCH_OPERATORS,
    conditionsOn,
    effectIs,
    readPolicyDocument,
    statementCoversAction,
    statementLabel,
    type PolicyStatement,
} from "../src/core/iam-policy";
import { isUnknown, rawProps, readProp } from "../src/core/pulumi-values";
import { guardResource } from "./guard";
import { ORGANIZATIONS_POLICY } from "./resource-types";

export const SCP_ROOT_DENY_EXEMPTS_ASSUME_ROOT = "scp-root-deny-exempts-assume-root";

const SCP_TYPE = "SERVICE_CONTROL_POLICY";

function targetsRoot(st: PolicyStatement): boolean {
    return conditionsOn(st, "aws:PrincipalArn", POSITIVE_MATCH_OPERATORS).some((c) =>
        c.values.some((v) => v.trim().toLowerCase().endsWith(":root")),
    );
}

/** `"Null": {"aws:AssumedRoot": "true"}`, or the equivalent `BoolIfExists … "false"`. */
function exemptsAssumedRoot(st: PolicyStatement): boolean {
    return conditionsOn(st, "aws:AssumedRoot").some(
        (c) =>
            (c.baseOperator === "null" && c.values.some((v) => v.toLowerCase() === "true")) ||
            (c.baseOperator === "bool" && c.ifExists && c.values.some((v) => v.toLowerCase() === "false")),
    );
}

function blockedTaskActions(st: PolicyStatement): string[] {
    return DELETE_TASK_ACTIONS.filter((a) => statementCoversAction(st, a) === true);
}

export const scpRootDenyExemptsAssumeRoot: ResourceValidationPolicy = {
    name: SCP_ROOT_DENY_EXEMPTS_ASSUME_ROOT,
    displayName: "Root-deny SCPs exempt AssumeRoot sessions",
    description:
        `A service control policy that denies actions to root principals (aws:PrincipalArn like ${ROOT_PRINCIPAL_ARN_PATTERN}) must exempt ` +
        'AssumeRoot sessions with "Null": {"aws:AssumedRoot": "true"}, or it blocks centralized root credential remediation.',
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: strictSchema({}),
    validateResource: guardResource(SCP_ROOT_DENY_EXEMPTS_ASSUME_ROOT, (args, report) => {
        if (args.type !== ORGANIZATIONS_POLICY.aws && args.type !== ORGANIZATIONS_POLICY.native) return;
        const props = rawProps(args.props);
        const typeRaw = readProp(props, "type");
        if (isUnknown(typeRaw)) return;
        // The aws provider defaults to an SCP; aws-native requires the type.
        const policyType = typeof typeRaw === "string" ? typeRaw : args.type === ORGANIZATIONS_POLICY.aws ? SCP_TYPE : undefined;
        if (policyType !== SCP_TYPE) return;
        const doc = readPolicyDocument(readProp(props, "content"));
        if (doc.kind !== "document") return;
        const findings: string[] = [];
        doc.statements.forEach((st, i) => {
            if (effectIs(st, "Deny") !== true || !targetsRoot(st) || exemptsAssumedRoot(st)) return;
            const blocked = blockedTaskActions(st);
            if (blocked.length === 0) return;
            const shown = blocked.length > 3 ? `${blocked.slice(0, 3).join(", ")} and ${blocked.length - 3} more` : blocked.join(", ");
            findings.push(`  - ${statementLabel(st, i)} denies ${shown} to root without exempting AssumeRoot sessions`);
        });
        if (findings.length === 0) return;
        report({
            message: [
                `Service control policy '${args.name}' (${args.type}) would block centralized root access remediation:`,
                ...findings,
                "AssumeRoot sessions run as the member account's root principal, so a root deny also stops the delete task policy " +
                    "(IAMDeleteRootUserCredentials) from removing root access keys.",
                `Fix: add ${JSON.stringify(ASSUME_ROOT_EXEMPTION)} to the statement's Condition (denying only iam:CreateAccessKey to root needs no exemption).`,
            ].join("\n"),
        });
    }),
};

export const organizationPolicies = [scpRootDenyExemptsAssumeRoot];
