import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { ROOT_ACCESS_KEY_RULE } from "../../src/core/aws-facts";
import { REMEDIATOR_ENV } from "../../src/remediator/contract";
import { INVOKE_LAMBDA_MAX_SECONDS } from "../../stacks/components/config-remediation";
import { kmsKeyReference } from "../../stacks/components/kms-key";
import { SDK_COMMAND_ACTIONS } from "../../stacks/components/remediator-permissions";
import { ACCOUNT_ID, KMS_ALIASES, one, ofType, ProgramRun, REPO_ROOT, runProgram } from "./helpers/program";

const ORG = { mode: "organization", remediation: "delete-unused", alertEmails: ["sec@example.com"] };

function rolePolicy(run: ProgramRun): { Sid?: string; Action: string[]; Resource: unknown; Condition?: unknown }[] {
    return JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy).Statement;
}

describe("stacks: the remediator's work queue, worker, dead-letter queue and alarm", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ ...ORG, concurrency: 20, lambdaTimeoutSeconds: 600 });
    });

    it("the work queue redrives to the dead-letter queue after 3 receives, and stays invisible 6× the function timeout", () => {
        const queue = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work");
        const dlq = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-dlq");
        const fn = one(run, "aws:lambda/function:Function");
        assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn, maxReceiveCount: 3 });
        assert.equal(fn.inputs.timeout, 600);
        assert.equal(queue.inputs.visibilityTimeoutSeconds, 3600);
        assert.ok(queue.inputs.visibilityTimeoutSeconds > fn.inputs.timeout, "a message is never redelivered while its invocation runs");
        assert.equal(queue.inputs.sqsManagedSseEnabled, true);
        assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
        assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.maxReceiveCount], "3");
        assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.queueUrl], queue.state.url);
    });

    it("the worker consumes it with maximum concurrency = rootguard:concurrency and partial batch responses", () => {
        const esm = one(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
        assert.equal(esm.inputs.eventSourceArn, one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work").state.arn);
        assert.equal(esm.inputs.functionName, one(run, "aws:lambda/function:Function").state.arn);
        assert.deepEqual(esm.inputs.scalingConfig, { maximumConcurrency: 20 });
        assert.deepEqual(esm.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.equal(esm.inputs.batchSize, 5);
        // Reserving concurrency is not how the bound is kept (and fails on accounts with the low quota).
        assert.equal(one(run, "aws:lambda/function:Function").inputs.reservedConcurrentExecutions, undefined);
    });

    it("an alarm on the dead-letter queue notifies the alert topic, which admits CloudWatch alarms of this account", () => {
        const alarm = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "rootguard-remediator-dead-letters");
        const topicArn = run.outputs.alertTopicArn;
        assert.deepEqual(
            [
                alarm.inputs.namespace,
                alarm.inputs.metricName,
                alarm.inputs.dimensions,
                alarm.inputs.comparisonOperator,
                alarm.inputs.threshold,
            ],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: "rootguard-remediator-dlq" }, "GreaterThanThreshold", 0],
        );
        assert.deepEqual(alarm.inputs.alarmActions, [topicArn]);
        assert.match(alarm.inputs.alarmDescription, /redrive/);
        const topicPolicy = JSON.parse(one(run, "aws:sns/topicPolicy:TopicPolicy").inputs.policy).Statement;
        const cw = topicPolicy.find((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        assert.equal(cw.Action, "sns:Publish");
        assert.deepEqual(cw.Condition.StringEquals, { "aws:SourceAccount": ACCOUNT_ID });
        const keyPolicy = JSON.parse(one(run, "aws:kms/key:Key").inputs.policy).Statement;
        assert.ok(
            keyPolicy.some((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com" && s.Action.includes("kms:GenerateDataKey")),
        );
    });

    it("EventBridge may send to the queues only from rootguard's own rules; both deny insecure transport; targets dead-letter", () => {
        const compliance = one(run, "aws:cloudwatch/eventRule:EventRule", "rootguard-compliance-change");
        const schedule = one(run, "aws:cloudwatch/eventRule:EventRule", "rootguard-reconcile");
        const dlq = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-dlq");
        const policies = Object.fromEntries(
            ofType(run, "aws:sqs/queuePolicy:QueuePolicy").map((p) => [p.inputs.queueUrl, JSON.parse(p.inputs.policy).Statement]),
        );
        const work = policies[one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work").state.url];
        const dead = policies[dlq.state.url];
        for (const statements of [work, dead]) {
            assert.ok(
                statements.some(
                    (s: any) => s.Effect === "Deny" && s.Action === "sqs:*" && s.Condition.Bool["aws:SecureTransport"] === "false",
                ),
            );
        }
        const allow = (statements: any[]) => statements.find((s: any) => s.Effect === "Allow");
        assert.deepEqual(allow(work).Condition, { ArnEquals: { "aws:SourceArn": [compliance.state.arn] } });
        assert.deepEqual(allow(dead).Condition, { ArnEquals: { "aws:SourceArn": [compliance.state.arn, schedule.state.arn] } });
        for (const t of ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) =>
            /^rootguard-(compliance-change|reconcile)$/.test(t.inputs.rule),
        )) {
            assert.equal(t.inputs.deadLetterConfig.arn, dlq.state.arn, t.inputs.rule);
        }
    });

    it("an on-demand idempotency table whose key and TTL attributes are the ones Powertools writes", () => {
        const table = one(run, "aws:dynamodb/table:Table");
        // Read from the library itself, so a Powertools upgrade that renames them fails here.
        const layer = new DynamoDBPersistenceLayer({ tableName: "t" }) as unknown as { keyAttr: string; expiryAttr: string };
        assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal(table.inputs.hashKey, layer.keyAttr);
        assert.deepEqual(table.inputs.attributes, [{ name: layer.keyAttr, type: "S" }]);
        assert.deepEqual(table.inputs.ttl, { attributeName: layer.expiryAttr, enabled: true });
        assert.equal(
            one(run, "aws:lambda/function:Function").inputs.environment.variables[REMEDIATOR_ENV.idempotencyTable],
            table.inputs.name,
        );
    });

    it("hands the remediator the access-key rule only (not the MFA rules)", () => {
        assert.equal(
            one(run, "aws:lambda/function:Function").inputs.environment.variables[REMEDIATOR_ENV.ruleNames],
            ROOT_ACCESS_KEY_RULE.defaultName,
        );
    });

    it("the role grants the queue, table and dead-letter queue actions on those resources only", () => {
        const st = Object.fromEntries(rolePolicy(run).map((s) => [s.Sid, s]));
        const queueArn = one(run, "aws:sqs/queue:Queue", "rootguard-remediator-work").state.arn;
        assert.deepEqual([st.EnqueueAccounts.Action, st.EnqueueAccounts.Resource], [["sqs:SendMessage"], queueArn]);
        assert.deepEqual(
            [st.ConsumeWorkQueue.Action, st.ConsumeWorkQueue.Resource],
            [["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], queueArn],
        );
        assert.equal(st.IdempotencyRecords.Resource, one(run, "aws:dynamodb/table:Table").state.arn);
        assert.equal(st.DeadLetterQueue.Resource, one(run, "aws:sqs/queue:Queue", "rootguard-remediator-dlq").state.arn);
    });

    it("every DynamoDB command Powertools Idempotency sends is mapped and granted (read from the library's source)", () => {
        const file = require.resolve("@aws-lambda-powertools/idempotency/dynamodb", { paths: [REPO_ROOT] });
        const sent = [...new Set([...fs.readFileSync(file, "utf8").matchAll(/new \w+\.(\w+Command)\(/g)].map((m) => m[1]))].sort();
        assert.deepEqual(sent, ["DeleteItemCommand", "GetItemCommand", "PutItemCommand", "UpdateItemCommand"], path.basename(file));
        const granted = new Set(rolePolicy(run).flatMap((s) => s.Action));
        for (const command of sent) assert.ok(granted.has(SDK_COMMAND_ACTIONS[command] as string), command);
    });
});

describe("stacks: remediator options", function () {
    it("concurrency outside SQS's event source maximum concurrency (2–1000) is refused naming the key", async () => {
        for (const value of [1, 1001]) {
            await assert.rejects(runProgram({ ...ORG, concurrency: value }), /rootguard:concurrency must be an integer from 2 to 1000/);
        }
    });

    it("the Remediate button's SSM step waits at most the 300 s aws:invokeLambdaFunction allows", async () => {
        const run = await runProgram({ lambdaTimeoutSeconds: 900 });
        const step = JSON.parse(one(run, "aws:ssm/document:Document").inputs.content).mainSteps[0];
        assert.equal(step.action, "aws:invokeLambdaFunction");
        assert.equal(INVOKE_LAMBDA_MAX_SECONDS, 300);
        assert.ok(step.timeoutSeconds <= 300, `timeoutSeconds ${step.timeoutSeconds}`);
    });

    // Finding: a customer key named by alias, alias ARN, key ID or mrk- ID got no grant, so every notification was denied.
    const KEY_FORMS: [string, string][] = [
        ["alias/ops-alerts", KMS_ALIASES["alias/ops-alerts"]],
        ["arn:aws:kms:eu-west-1:210987654321:alias/shared-alerts", KMS_ALIASES["arn:aws:kms:eu-west-1:210987654321:alias/shared-alerts"]],
        ["1234abcd-12ab-34cd-56ef-1234567890ab", `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        ["mrk-1234abcd12ab34cd56ef1234567890ab", `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/mrk-1234abcd12ab34cd56ef1234567890ab`],
        [
            `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/mrk-1234abcd12ab34cd56ef1234567890ab`,
            `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/mrk-1234abcd12ab34cd56ef1234567890ab`,
        ],
    ];
    for (const [ref, keyArn] of KEY_FORMS) {
        it(`a customer key given as ${kmsKeyReference(ref)} (${ref.slice(0, 40)}…) gets GenerateDataKey/Decrypt on its key ARN`, async () => {
            const run = await runProgram({ alertKmsKeyId: ref });
            assert.equal(one(run, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, ref);
            const grant = rolePolicy(run).find((s) => s.Sid === "EncryptNotifications");
            assert.ok(grant, "no KMS grant for the topic's key");
            assert.deepEqual([grant.Action, grant.Resource], [["kms:GenerateDataKey", "kms:Decrypt"], keyArn]);
        });
    }

    it("kmsKeyReference tells the forms apart", () => {
        assert.equal(kmsKeyReference("alias/aws/sns"), "alias");
        assert.equal(kmsKeyReference("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"), "key-arn");
        assert.equal(kmsKeyReference("arn:aws-cn:kms:cn-north-1:123456789012:alias/x"), "alias-arn");
        assert.equal(kmsKeyReference("not-a-key"), undefined);
    });
});
