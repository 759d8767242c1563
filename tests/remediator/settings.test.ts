import { strict as assert } from "node:assert";
import { REMEDIATOR_ENV } from "../../src/remediator/contract";
import { loadSettings, SettingsError } from "../../src/remediator/settings";

const base = { AWS_REGION: "eu-west-1" };

describe("remediator settings", () => {
    it("defaults: account mode, notify, 45 days, no dry run, 3 receives, the default rule, no queue or table", () => {
        const s = loadSettings(base);
        assert.deepEqual(
            [
                s.mode,
                s.action,
                s.unusedDays,
                s.dryRun,
                s.maxReceiveCount,
                s.ruleNames,
                s.topicArn,
                s.partition,
                s.queueUrl,
                s.idempotencyTable,
            ],
            ["account", "notify", 45, false, 3, ["rootguard-iam-root-access-key-check"], undefined, "aws", undefined, undefined],
        );
    });

    it("reads every variable the stack sets", () => {
        const s = loadSettings({
            ...base,
            [REMEDIATOR_ENV.mode]: "organization",
            [REMEDIATOR_ENV.action]: "delete-unused",
            [REMEDIATOR_ENV.unusedDays]: "90",
            [REMEDIATOR_ENV.dryRun]: "true",
            [REMEDIATOR_ENV.topicArn]: "arn:aws:sns:eu-west-1:123456789012:rootguard-alerts",
            [REMEDIATOR_ENV.ruleNames]: "iam-root-access-key-check, root-account-mfa-enabled",
            [REMEDIATOR_ENV.aggregatorName]: "org",
            [REMEDIATOR_ENV.queueUrl]: "https://sqs.eu-west-1.amazonaws.com/123456789012/rootguard-remediator-work",
            [REMEDIATOR_ENV.idempotencyTable]: "rootguard-remediator-idempotency",
            [REMEDIATOR_ENV.maxReceiveCount]: "5",
            [REMEDIATOR_ENV.maxAttempts]: "8",
        });
        assert.deepEqual(
            [
                s.mode,
                s.action,
                s.unusedDays,
                s.dryRun,
                s.topicArn,
                s.ruleNames,
                s.aggregatorName,
                s.queueUrl,
                s.idempotencyTable,
                s.maxReceiveCount,
                s.maxAttempts,
            ],
            [
                "organization",
                "delete-unused",
                90,
                true,
                "arn:aws:sns:eu-west-1:123456789012:rootguard-alerts",
                ["iam-root-access-key-check", "root-account-mfa-enabled"],
                "org",
                "https://sqs.eu-west-1.amazonaws.com/123456789012/rootguard-remediator-work",
                "rootguard-remediator-idempotency",
                5,
                8,
            ],
        );
    });

    it("delete is only ever what the variable says, never a default", () => {
        assert.equal(loadSettings(base).action, "notify");
        assert.equal(loadSettings({ ...base, [REMEDIATOR_ENV.action]: "delete" }).action, "delete");
    });

    const bad: [Record<string, string>, string, RegExp][] = [
        [{ [REMEDIATOR_ENV.action]: "remove" }, REMEDIATOR_ENV.action, /must be one of "notify", "delete-unused", "delete", got "remove"/],
        [{ [REMEDIATOR_ENV.mode]: "org" }, REMEDIATOR_ENV.mode, /must be one of "account", "organization"/],
        [{ [REMEDIATOR_ENV.unusedDays]: "0" }, REMEDIATOR_ENV.unusedDays, /whole number from 1 to 3650, got "0"/],
        [{ [REMEDIATOR_ENV.unusedDays]: "45.5" }, REMEDIATOR_ENV.unusedDays, /whole number/],
        [{ [REMEDIATOR_ENV.dryRun]: "maybe" }, REMEDIATOR_ENV.dryRun, /"true" or "false"/],
        [{ [REMEDIATOR_ENV.maxReceiveCount]: "0" }, REMEDIATOR_ENV.maxReceiveCount, /from 1 to 1000/],
        [{ [REMEDIATOR_ENV.queueUrl]: "rootguard-work" }, REMEDIATOR_ENV.queueUrl, /SQS queue URL/],
        [{ [REMEDIATOR_ENV.topicArn]: "rootguard" }, REMEDIATOR_ENV.topicArn, /SNS topic ARN/],
        [{ [REMEDIATOR_ENV.mode]: "organization" }, REMEDIATOR_ENV.aggregatorName, /required in organization mode/],
        [{ [REMEDIATOR_ENV.ruleNames]: " , " }, REMEDIATOR_ENV.ruleNames, /lists no rule names/],
        [{ AWS_REGION: "" }, "AWS_REGION", /regional STS endpoint/],
    ];
    for (const [env, variable, message] of bad) {
        it(`rejects ${JSON.stringify(env)} naming ${variable}`, () => {
            assert.throws(
                () => loadSettings({ ...base, ...env }),
                (err: unknown) =>
                    err instanceof SettingsError &&
                    err.variable === variable &&
                    err.message.startsWith(`${variable}: `) &&
                    message.test(err.message),
            );
        });
    }

    it("partitions follow the region", () => {
        assert.equal(loadSettings({ AWS_REGION: "cn-north-1" }).partition, "aws-cn");
        assert.equal(loadSettings({ AWS_REGION: "us-gov-west-1" }).partition, "aws-us-gov");
    });
});
