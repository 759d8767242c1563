/**
 * The component package: what a program in any language gets with `pulumi package add <this repository>`
 * (docs/component-package.md). Pulumi serves each class exported here as a component, with a schema it reads from
 * the class's args interface and its public Output fields, doc comments included; nothing else is served.
 */
export { RootGuardrails } from "./components/guardrails";
export { RootCredentialRules } from "./components/root-credential-rules";
export { AlertTopic } from "./components/alert-topic";
export { RootActivityAlerts } from "./components/root-activity-alerts";
export { Remediator } from "./components/remediator";
export { OrganizationGuardrails } from "./components/organization-guardrails";
