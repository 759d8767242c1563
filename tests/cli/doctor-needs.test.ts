/**
 * Doctor's view of what a config asks of AWS (src/cli/doctor/needs.ts) against what the stack program really
 * deploys for that config, run under Pulumi's mocks: rule names and descriptions, the function that reserves
 * concurrency, the work queue's event source and whatever else invokes the remediator, the recorder, the
 * root-activity rule and the trail, the management-account resources and the services needing trusted access. Every
 * resource type deployed must be classified below, so a new kind of resource fails here until someone decides
 * what doctor must check for it.
 */
import { strict as assert } from "node:assert";
import { parseConfig, type ConfigKey } from "../../stacks/config";
import {
    directInvokers,
    managementOnly,
    needsManagementAccount,
    needsTrail,
    plannedRuleName,
    plannedRules,
    plannedScps,
    remediatorFunctionName,
    topicPublishers,
    trustedServices,
    WORK_QUEUE_MAX_RECEIVE_COUNT,
} from "../../src/cli/doctor/needs";
import { ofType, runProgram, toPulumiConfig, type ProgramRun } from "../stacks/helpers/program";

const CONFIGS: Record<string, unknown>[] = [
    {},
    { mode: "organization", manageOrganizationsFeatures: false, rootMfaRule: false, hardwareMfaRule: true },
    { createRecorder: true, rootActivityAlerts: false, reservedConcurrency: 0, namePrefix: "guard" },
    { mode: "organization", denyAllRootActions: true, scpTargets: ["r-ab12"], reservedConcurrency: 5, namePrefix: "org-guard" },
    { concurrency: 40, reservedConcurrency: 41, alertKmsKeyId: "alias/ops-alerts", alertEmails: ["ops@example.com"] },
    // What a Config delegated administrator can deploy: no Organizations features, no SCPs, no organization-wide root
    // activity alerts.
    {
        mode: "organization",
        manageOrganizationsFeatures: false,
        serviceControlPolicies: false,
        rootActivityAlerts: false,
        namePrefix: "delegated",
    },
    { createTrail: true, activityRegions: ["eu-west-1"] },
    { mode: "organization", createTrail: true, activityRegions: ["us-east-1", "eu-west-1"], namePrefix: "org-trail" },
    // The trail without the alerts; from a delegated administrator, that of CloudTrail too.
    { mode: "organization", manageOrganizationsFeatures: false, rootActivityAlerts: false, createTrail: true },
];

/**
 * Resource types whose prerequisites doctor knows: those that need the management account or trusted access are
 * read off by principalsUsed and the management-only assertion (the organization trail, the StackSet and its
 * instances); the rest live in the stack's own account and region and need no trusted access in an organization
 * (SQS, DynamoDB, Lambda, CloudWatch, KMS, SNS, EventBridge buses, rules and the bus policy admitting the
 * organization, S3, SSM, IAM roles, a trail of the account). Lambda's concurrency is the lambda-concurrency check;
 * the recorder the config-recorder check; a trail the stack does not create, the trail check.
 */
const CLASSIFIED_TYPES = new Set([
    "aws:cfg/configurationAggregator:ConfigurationAggregator",
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/organizationManagedRule:OrganizationManagedRule",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:cfg/remediationConfiguration:RemediationConfiguration",
    "aws:cfg/rule:Rule",
    "aws:cloudformation/stackInstances:StackInstances",
    "aws:cloudformation/stackSet:StackSet",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:dynamodb/table:Table",
    "aws:iam/organizationsFeatures:OrganizationsFeatures",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:kms/key:Key",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/function:Function",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    "aws:lambda/permission:Permission",
    "aws:organizations/policy:Policy",
    "aws:organizations/policyAttachment:PolicyAttachment",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:sns/topic:Topic",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:ssm/document:Document",
]);

/** Service principals a policy document allows `action`. */
function servicesAllowed(policy: string, action: string): string[] {
    const statements: { Effect: string; Principal?: { Service?: string | string[] }; Action: string | string[] }[] =
        JSON.parse(policy).Statement;
    return statements
        .filter((st) => st.Effect === "Allow" && ([] as string[]).concat(st.Action).includes(action))
        .flatMap((st) => ([] as string[]).concat(st.Principal?.Service ?? []))
        .sort();
}

/** Trusted-access principals the deployed resources depend on, read off the resource types. */
function principalsUsed(run: ProgramRun): string[] {
    const used = new Set<string>();
    if (ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").length > 0)
        used.add("config-multiaccountsetup.amazonaws.com");
    if (ofType(run, "aws:cfg/configurationAggregator:ConfigurationAggregator").some((a) => a.inputs.organizationAggregationSource))
        used.add("config.amazonaws.com");
    const assumesRoot = JSON.stringify(run.resources.map((r) => r.inputs)).includes("sts:AssumeRoot");
    if (ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length > 0 || assumesRoot) used.add("iam.amazonaws.com");
    if (run.resources.some((r) => r.type.startsWith("aws:cloudformation/stackSet")))
        used.add("member.org.stacksets.cloudformation.amazonaws.com");
    if (ofType(run, "aws:cloudtrail/trail:Trail").some((t) => t.inputs.isOrganizationTrail)) used.add("cloudtrail.amazonaws.com");
    return [...used].sort();
}

describe("doctor's needs match what the stack deploys", function () {
    this.timeout(120_000);

    for (const raw of CONFIGS) {
        it(`config ${JSON.stringify(raw)}`, async () => {
            const values = toPulumiConfig(raw);
            const config = parseConfig((key: ConfigKey) => values[`rootguard:${key}`], values["aws:region"]);
            const run = await runProgram(raw);

            const deployedRules =
                config.mode === "organization"
                    ? ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").map((r) => [
                          r.inputs.name,
                          r.inputs.ruleIdentifier,
                          r.inputs.description,
                      ])
                    : ofType(run, "aws:cfg/rule:Rule").map((r) => [r.inputs.name, r.inputs.source.sourceIdentifier, r.inputs.description]);
            // rule-names looks for these names, and recognises rootguard's own rules by identifier and description.
            assert.deepEqual(
                deployedRules,
                plannedRules(config).map((f) => [plannedRuleName(config, f), f.identifier, f.description]),
            );

            const reserving = ofType(run, "aws:lambda/function:Function").filter((f) => (f.inputs.reservedConcurrentExecutions ?? -1) > 0);
            assert.deepEqual(
                reserving.map((f) => [f.inputs.name, f.inputs.reservedConcurrentExecutions]),
                config.reservedConcurrency > 0 ? [[remediatorFunctionName(config), config.reservedConcurrency]] : [],
            );

            // The work queue's event source runs at most `concurrency` workers of the remediator, and nothing but the
            // reconcile schedule (and in account mode the Config remediation) invokes it beside them.
            const fn = ofType(run, "aws:lambda/function:Function").find((f) => f.inputs.name === remediatorFunctionName(config));
            assert.ok(fn, "the remediator function");
            const mappings = ofType(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
            assert.deepEqual(
                mappings.map((m) => [m.inputs.functionName, m.inputs.scalingConfig?.maximumConcurrency]),
                [[fn.state.arn, config.concurrency]],
            );
            const queue = ofType(run, "aws:sqs/queue:Queue").find((q) => q.state.arn === mappings[0].inputs.eventSourceArn);
            assert.equal(JSON.parse(queue?.inputs.redrivePolicy ?? "{}").maxReceiveCount, WORK_QUEUE_MAX_RECEIVE_COUNT);
            const invokers = [
                ...ofType(run, "aws:cloudwatch/eventTarget:EventTarget")
                    .filter((t) => t.inputs.arn === fn.state.arn)
                    .map((t) => {
                        const rule = ofType(run, "aws:cloudwatch/eventRule:EventRule").find((r) => r.state.name === t.inputs.rule);
                        return rule?.inputs.scheduleExpression ? "reconcile schedule" : `event rule ${t.inputs.rule}`;
                    }),
                ...ofType(run, "aws:ssm/document:Document")
                    .filter((d) => String(d.inputs.content).includes("aws:invokeLambdaFunction"))
                    .map(() => "Config remediation"),
            ];
            assert.deepEqual(invokers, directInvokers(config));

            // alert-key: the services that publish to the topic must be able to use a key the user names.
            const topicPolicies = ofType(run, "aws:sns/topicPolicy:TopicPolicy").map((p) =>
                servicesAllowed(p.inputs.policy, "sns:Publish"),
            );
            assert.deepEqual(topicPolicies, [[...topicPublishers(config)].sort()]);
            const topicKey = ofType(run, "aws:sns/topic:Topic")[0].inputs.kmsMasterKeyId;
            const keys = ofType(run, "aws:kms/key:Key")
                .filter((k) => k.state.arn === topicKey)
                .map((k) => servicesAllowed(k.inputs.policy, "kms:GenerateDataKey"));
            assert.deepEqual(keys, config.alertKmsKeyId ? [] : [[...topicPublishers(config)].sort()]);

            const unclassified = [...new Set(run.resources.filter((r) => r.custom).map((r) => r.type))].filter(
                (t) => !CLASSIFIED_TYPES.has(t),
            );
            assert.deepEqual(unclassified, [], "new resource types: decide what doctor must check for them, then classify them here");

            assert.equal(ofType(run, "aws:cfg/recorder:Recorder").length > 0, config.createRecorder, "recorder");

            const activity = ofType(run, "aws:cloudwatch/eventRule:EventRule").some((r) =>
                String(r.inputs.eventPattern ?? "").includes("via CloudTrail"),
            );
            const trails = ofType(run, "aws:cloudtrail/trail:Trail");
            assert.equal(trails.length > 0, config.createTrail, "createTrail ⇔ the stack's trail");
            assert.equal(
                activity && trails.length === 0,
                needsTrail(config),
                "root activity rule and no trail of the stack's ⇔ trail check",
            );

            // Only the Organizations features and the root activity StackSet need the management account itself (a
            // delegated administrator deploys the rest); SCPs need it or delegated policy management.
            const features = ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length > 0;
            const stackSet = ofType(run, "aws:cloudformation/stackSet:StackSet").length > 0;
            assert.deepEqual(
                managementOnly(config).map((p) => p.key),
                [...(features ? ["manageOrganizationsFeatures"] : []), ...(stackSet ? ["rootActivityAlerts"] : [])],
                "Organizations features, StackSet ⇔ management account",
            );
            assert.equal(ofType(run, "aws:organizations/policy:Policy").length > 0, plannedScps(config), "SCPs");

            assert.deepEqual(
                principalsUsed(run),
                trustedServices(config)
                    .map((s) => s.principal)
                    .sort(),
            );
        });
    }

    it("from a member account the stack refuses to plan exactly the configs that need the management account", async () => {
        const fromMember = {
            "aws:organizations/getOrganization:getOrganization": {
                id: "o-exampleorgid",
                masterAccountId: "999988887777",
                featureSet: "ALL",
            },
        };
        for (const raw of CONFIGS.filter((c) => c.mode === "organization")) {
            const values = toPulumiConfig(raw);
            const config = parseConfig((key: ConfigKey) => values[`rootguard:${key}`], values["aws:region"]);
            const planned = runProgram(raw, { invokes: fromMember });
            const refusals = managementOnly(config).map((p) =>
                p.key === "manageOrganizationsFeatures"
                    ? "can only be enabled from the management account"
                    : "organization-wide root activity alerts deploy from the management account only",
            );
            if (needsManagementAccount(config)) await assert.rejects(planned, new RegExp(refusals.join("|")));
            else await planned;
        }
    });
});
