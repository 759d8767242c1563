/** rootguard's components, for `stacks/index.ts` and for other Pulumi programs (`import … from "rootguard/components"`). */
export * from "./activity-names";
export * from "./activity-trail";
export * from "./alert-topic";
export * from "./config-recorder";
export * from "./config-remediation";
export * from "./failure-alarms";
export * from "./forwarder-template";
export * from "./guardrails";
export * from "./organization-forwarders";
export * from "./organization-guardrails";
export * from "./policy-document";
export * from "./remediator";
export * from "./regional-forwarder";
export * from "./remediator-permissions";
export * from "./root-activity-alerts";
export * from "./root-credential-rules";
