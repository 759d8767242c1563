/** Every rootguard policy, in the order the pack serves them. Safe to import: starts nothing. */
import type { Policies } from "@pulumi/policy";
import { strictConfig } from "./config";
import { configRulePolicies } from "./config-rules";
import { credentialPolicies } from "./credentials";
import { iamPolicies } from "./iam";
import { identityPolicies } from "./identity";
import { organizationPolicies } from "./organizations";
import { providerPolicies } from "./providers";

export const allPolicies: Policies = [
    ...credentialPolicies,
    ...providerPolicies,
    ...identityPolicies,
    ...iamPolicies,
    ...configRulePolicies,
    ...organizationPolicies,
].map(strictConfig);
