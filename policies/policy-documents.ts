/** Where each IAM resource type keeps its policy documents. */
import { rawProps, readProp } from "../src/core/pulumi-values";
import { IAM, NATIVE_IAM } from "./resource-types";

export interface DocumentAt {
    /** Property path, for messages. */
    path: string;
    value: unknown;
}

/** Fields holding one document. */
const SINGLE: Record<string, string> = {
    [IAM.policy]: "policy",
    [IAM.rolePolicy]: "policy",
    [IAM.userPolicy]: "policy",
    [IAM.groupPolicy]: "policy",
    [IAM.permissionSetInlinePolicy]: "inlinePolicy",
    [NATIVE_IAM.managedPolicy]: "policyDocument",
    [NATIVE_IAM.rolePolicy]: "policyDocument",
    [NATIVE_IAM.userPolicy]: "policyDocument",
    [NATIVE_IAM.groupPolicy]: "policyDocument",
};

/** Fields holding a list of inline policies, and the document field inside each. */
const LISTS: Record<string, { list: string; field: string }> = {
    [IAM.role]: { list: "inlinePolicies", field: "policy" },
    [NATIVE_IAM.role]: { list: "policies", field: "policyDocument" },
    [NATIVE_IAM.user]: { list: "policies", field: "policyDocument" },
    [NATIVE_IAM.group]: { list: "policies", field: "policyDocument" },
};

export function identityPolicyDocuments(type: string, props: unknown): DocumentAt[] {
    const raw = rawProps(props);
    const single = SINGLE[type];
    if (single !== undefined) return [{ path: single, value: readProp(raw, single) }];
    const list = LISTS[type];
    if (list === undefined) return [];
    const items = readProp(raw, list.list);
    if (!Array.isArray(items)) return [];
    return items.map((item, i) => ({ path: `${list.list}[${i}].${list.field}`, value: readProp(item, list.field) }));
}
