import { strict as assert } from "node:assert";
import { ROOT_ACCESS_KEY_RULE, ROOT_HARDWARE_MFA_RULE, ROOT_MFA_RULE, configRuleConsoleUrl } from "../../src/core/aws-facts";
import { CONFIG_REMEDIATION_SOURCE, RECONCILE_SOURCE, REMEDIATOR_ENV } from "../../src/remediator/contract";
import { cloudTrailEvent, ROOT_CONSOLE_LOGIN } from "./fixtures/sample-events";
import { complianceChangeEvent, matchesPattern } from "./helpers/event-pattern";
import { ACCOUNT_ID, cloudResources, one, ofType, ProgramRun, runProgram } from "./helpers/program";

describe("stacks: account mode", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ alertEmails: ["sec@example.com", "ops@example.com"], frequency: "Six_Hours" });
    });

    it("deploys the root access key rule and the root MFA rule with the configured frequency", () => {
        const rules = ofType(run, "aws:cfg/rule:Rule");
        assert.deepEqual(
            rules.map((r) => [r.inputs.name, r.inputs.source.owner, r.inputs.source.sourceIdentifier, r.inputs.maximumExecutionFrequency]),
            [
                [ROOT_ACCESS_KEY_RULE.defaultName, "AWS", ROOT_ACCESS_KEY_RULE.identifier, "Six_Hours"],
                [ROOT_MFA_RULE.defaultName, "AWS", ROOT_MFA_RULE.identifier, "Six_Hours"],
            ],
        );
        assert.equal(ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule").length, 0);
    });

    it("creates no recorder, no organization resources by default", () => {
        for (const type of [
            "aws:cfg/recorder:Recorder",
            "aws:s3/bucket:Bucket",
            "aws:organizations/policy:Policy",
            "aws:iam/organizationsFeatures:OrganizationsFeatures",
            "aws:cfg/configurationAggregator:ConfigurationAggregator",
        ]) {
            assert.equal(ofType(run, type).length, 0, type);
        }
    });

    it("exports rule names, ARNs, console URLs, topic ARN and function name", () => {
        const o = run.outputs;
        assert.equal(o.mode, "account");
        assert.deepEqual(o.ruleNames, [ROOT_ACCESS_KEY_RULE.defaultName, ROOT_MFA_RULE.defaultName]);
        assert.equal(o.ruleArns.length, 2);
        assert.equal(
            o.configConsoleUrls[ROOT_ACCESS_KEY_RULE.defaultName],
            configRuleConsoleUrl("eu-west-1", ROOT_ACCESS_KEY_RULE.defaultName),
        );
        assert.match(o.alertTopicArn, /^arn:aws:sns:/);
        assert.equal(o.remediatorFunctionName, "rootguard-remediator");
        assert.equal(o.configRemediationDocument, "rootguard-RemediateRootAccessKeys");
        assert.equal(o.aggregatorName, undefined);
    });

    it("encrypts the alert topic with a rotated customer managed key EventBridge may use, and subscribes each e-mail", () => {
        const key = one(run, "aws:kms/key:Key");
        assert.equal(key.inputs.enableKeyRotation, true);
        const keyPolicy = JSON.parse(key.inputs.policy);
        const events = keyPolicy.Statement.find((s: any) => s.Principal?.Service === "events.amazonaws.com");
        assert.deepEqual(events.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.deepEqual(events.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
        const topic = one(run, "aws:sns/topic:Topic");
        assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
        const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(
            subs.map((s) => [s.inputs.protocol, s.inputs.endpoint]),
            [
                ["email", "sec@example.com"],
                ["email", "ops@example.com"],
            ],
        );
        const topicPolicy = JSON.parse(one(run, "aws:sns/topicPolicy:TopicPolicy").inputs.policy);
        assert.ok(topicPolicy.Statement.some((s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
    });

    it("sends compliance changes of the access-key rule only to the remediator, and nothing else", () => {
        const rule = one(run, "aws:cloudwatch/eventRule:EventRule", "rootguard-compliance-change");
        const pattern = JSON.parse(rule.inputs.eventPattern);
        assert.ok(matchesPattern(pattern, complianceChangeEvent(ROOT_ACCESS_KEY_RULE.defaultName, "NON_COMPLIANT")));
        // The MFA rules need no root access key remediation: their events would only spend AssumeRoot calls.
        assert.ok(!matchesPattern(pattern, complianceChangeEvent(ROOT_MFA_RULE.defaultName, "NON_COMPLIANT")));
        assert.ok(!matchesPattern(pattern, complianceChangeEvent("s3-bucket-versioning-enabled", "NON_COMPLIANT")));
        assert.ok(!matchesPattern(pattern, complianceChangeEvent(ROOT_HARDWARE_MFA_RULE.defaultName, "NON_COMPLIANT")));
        assert.ok(!matchesPattern(pattern, cloudTrailEvent(ROOT_CONSOLE_LOGIN)));
        const resourceTypeChanged = complianceChangeEvent(ROOT_ACCESS_KEY_RULE.defaultName, "NON_COMPLIANT");
        (resourceTypeChanged.detail as any).resourceType = "AWS::IAM::User";
        assert.ok(!matchesPattern(pattern, resourceTypeChanged));
    });

    it("compliance changes go to the work queue; the schedule invokes the remediator with the cycle from the scheduled time", () => {
        const fn = one(run, "aws:lambda/function:Function");
        const queue = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work");
        const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) =>
            /^rootguard-(compliance-change|reconcile)$/.test(t.inputs.rule),
        );
        assert.deepEqual(targets.map((t) => [t.inputs.rule, t.inputs.arn]).sort(), [
            ["rootguard-compliance-change", queue.state.arn],
            ["rootguard-reconcile", fn.state.arn],
        ]);
        const schedule = one(run, "aws:cloudwatch/eventRule:EventRule", "rootguard-reconcile");
        assert.equal(schedule.inputs.scheduleExpression, "rate(1 day)");
        const transformer = targets.find((t) => t.inputs.rule === "rootguard-reconcile")!.inputs.inputTransformer;
        assert.deepEqual(transformer.inputPaths, { time: "$.time" });
        // What EventBridge would deliver for a tick at 12:00 UTC: the payload the handler reads as a reconcile of that cycle.
        assert.deepEqual(JSON.parse(transformer.inputTemplate.replace("<time>", "2026-11-22T12:00:00Z")), {
            source: RECONCILE_SOURCE,
            cycle: "2026-11-22T12:00:00Z",
        });
        const permissions = ofType(run, "aws:lambda/permission:Permission");
        assert.deepEqual(
            permissions.map((p) => [p.inputs.principal, p.inputs.action, p.inputs.sourceArn]),
            [["events.amazonaws.com", "lambda:InvokeFunction", schedule.state.arn]],
        );
    });

    it("runs the remediator on the newest Node.js runtime, arm64, with retention, DLQ, unreserved concurrency and the contract's environment", () => {
        const fn = one(run, "aws:lambda/function:Function");
        assert.equal(fn.inputs.runtime, "nodejs24.x");
        assert.deepEqual(fn.inputs.architectures, ["arm64"]);
        assert.equal(fn.inputs.handler, "index.handler");
        assert.equal(fn.inputs.reservedConcurrentExecutions, undefined);
        const dlq = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-dlq");
        assert.equal(fn.inputs.deadLetterConfig.targetArn, dlq.state.arn);
        assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
        const logGroup = one(run, "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(logGroup.inputs.name, "/aws/lambda/rootguard-remediator");
        assert.equal(logGroup.inputs.retentionInDays, 90);
        assert.equal(fn.inputs.loggingConfig.logGroup, logGroup.inputs.name);
        assert.deepEqual(fn.inputs.environment.variables, {
            [REMEDIATOR_ENV.mode]: "account",
            [REMEDIATOR_ENV.action]: "notify",
            [REMEDIATOR_ENV.unusedDays]: "45",
            [REMEDIATOR_ENV.dryRun]: "false",
            [REMEDIATOR_ENV.topicArn]: run.outputs.alertTopicArn,
            [REMEDIATOR_ENV.ruleNames]: ROOT_ACCESS_KEY_RULE.defaultName,
            [REMEDIATOR_ENV.queueUrl]: one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work").state.url,
            [REMEDIATOR_ENV.idempotencyTable]: "rootguard-remediator-idempotency",
            [REMEDIATOR_ENV.maxReceiveCount]: "3",
        });
    });

    it("gives the remediator no AssumeRoot in account mode and only the account-level reads it uses", () => {
        const policy = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy);
        const actions = policy.Statement.flatMap((s: any) => s.Action).sort();
        assert.deepEqual(actions, [
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "iam:GenerateCredentialReport",
            "iam:GetAccountSummary",
            "iam:GetCredentialReport",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "sns:Publish",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
            "sqs:SendMessage",
        ]);
    });

    it("wires Config's Remediate button: SSM Automation document → Lambda with the config-remediation payload, manual", () => {
        const doc = one(run, "aws:ssm/document:Document");
        assert.equal(doc.inputs.documentType, "Automation");
        const content = JSON.parse(doc.inputs.content);
        assert.equal(content.schemaVersion, "0.3");
        const step = content.mainSteps[0];
        assert.equal(step.action, "aws:invokeLambdaFunction");
        assert.equal(step.inputs.FunctionName, "rootguard-remediator");
        assert.deepEqual(JSON.parse(step.inputs.Payload), { source: CONFIG_REMEDIATION_SOURCE, accountId: "{{ AccountId }}" });
        const rc = one(run, "aws:cfg/remediationConfiguration:RemediationConfiguration");
        assert.equal(rc.inputs.configRuleName, ROOT_ACCESS_KEY_RULE.defaultName);
        assert.equal(rc.inputs.targetType, "SSM_DOCUMENT");
        assert.equal(rc.inputs.targetId, doc.inputs.name);
        assert.equal(rc.inputs.automatic, false);
        assert.deepEqual(rc.inputs.parameters[0], { name: "AccountId", resourceValue: "RESOURCE_ID" });
        const ssmRole = one(run, "aws:iam/role:Role", "rootguard-config-remediation-eu-west-1");
        assert.equal(JSON.parse(ssmRole.inputs.assumeRolePolicy).Statement[0].Principal.Service, "ssm.amazonaws.com");
        assert.equal(rc.inputs.parameters[1].staticValue, ssmRole.state.arn);
        const invoke = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-config-remediation-policy").inputs.policy);
        assert.deepEqual(invoke.Statement[0].Action, ["lambda:InvokeFunction"]);
        assert.equal(invoke.Statement[0].Resource, one(run, "aws:lambda/function:Function").state.arn);
    });

    it("every cloud resource is a child of a rootguard component", () => {
        assert.ok(cloudResources(run).length > 0);
        for (const t of new Set(run.resources.filter((r) => !r.custom).map((r) => r.type))) assert.match(t, /^rootguard:index:/);
    });
});

describe("stacks: account mode options", function () {
    it("with createRecorder: an encrypted, versioned, private, TLS-only bucket, a recorder that rules wait for", async () => {
        const run = await runProgram({
            createRecorder: true,
            hardwareMfaRule: true,
            automaticRemediation: true,
            "aws:region": "us-east-1",
        });
        const bucket = one(run, "aws:s3/bucket:Bucket");
        assert.equal(bucket.inputs.bucket, `rootguard-config-${ACCOUNT_ID}-us-east-1`);
        assert.equal(one(run, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status, "Enabled");
        assert.equal(
            one(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules[0]
                .applyServerSideEncryptionByDefault.sseAlgorithm,
            "aws:kms",
        );
        const pab = one(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual(
            [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
            [true, true, true, true],
        );
        const bucketPolicy = JSON.parse(one(run, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
        assert.ok(bucketPolicy.Statement.some((s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
        const recorder = one(run, "aws:cfg/recorder:Recorder");
        assert.deepEqual(recorder.inputs.recordingGroup.resourceTypes, ["AWS::IAM::User"]);
        assert.equal(one(run, "aws:cfg/recorderStatus:RecorderStatus").inputs.isEnabled, true);
        assert.equal(one(run, "aws:cfg/deliveryChannel:DeliveryChannel").inputs.s3BucketName, bucket.state.bucket);
        assert.deepEqual(
            ofType(run, "aws:cfg/rule:Rule").map((r) => r.inputs.source.sourceIdentifier),
            [ROOT_ACCESS_KEY_RULE.identifier, ROOT_MFA_RULE.identifier, ROOT_HARDWARE_MFA_RULE.identifier],
        );
        const rc = one(run, "aws:cfg/remediationConfiguration:RemediationConfiguration").inputs;
        // One attempt: in account mode a retry cannot delete anything and would only repeat the e-mail.
        assert.deepEqual([rc.automatic, rc.maximumAutomaticAttempts, rc.retryAttemptSeconds], [true, 1, 600]);
    });

    it("with an existing key, no root activity alerts, no MFA rule, reserved concurrency 0", async () => {
        const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const run = await runProgram({
            alertKmsKeyId: keyArn,
            rootActivityAlerts: false,
            rootMfaRule: false,
            reservedConcurrency: 0,
            remediation: "delete-unused",
            unusedDays: 90,
            dryRun: true,
        });
        assert.equal(ofType(run, "aws:kms/key:Key").length, 0);
        assert.equal(one(run, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, keyArn);
        assert.equal(ofType(run, "aws:cloudwatch/eventRule:EventRule").filter((r) => /root-activity/.test(r.inputs.name)).length, 0);
        assert.deepEqual(
            ofType(run, "aws:cfg/rule:Rule").map((r) => r.inputs.name),
            [ROOT_ACCESS_KEY_RULE.defaultName],
        );
        const fn = one(run, "aws:lambda/function:Function");
        assert.equal(fn.inputs.reservedConcurrentExecutions, undefined);
        assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.action], "delete-unused");
        assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.unusedDays], "90");
        assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.dryRun], "true");
        const policy = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy);
        assert.equal(policy.Statement.find((s: any) => s.Sid === "EncryptNotifications").Resource, keyArn);
        const topicPolicy = JSON.parse(one(run, "aws:sns/topicPolicy:TopicPolicy").inputs.policy);
        assert.ok(!topicPolicy.Statement.some((s: any) => s.Principal?.Service === "events.amazonaws.com"));
    });
});
