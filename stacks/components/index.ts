/** rootguard's components, for `stacks/index.ts` and for other Pulumi programs (`import … from "rootguard/components"`). */
export * from "./alert-topic";
export * from "./config-recorder";
export * from "./config-remediation";
export * from "./guardrails";
export * from "./organization-guardrails";
export * from "./policy-document";
export * from "./remediator";
export * from "./remediator-permissions";
export * from "./root-activity-alerts";
export * from "./root-credential-rules";
