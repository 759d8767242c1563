import { strict as assert } from "node:assert";
import { Logger } from "@aws-lambda-powertools/logger";
import { AssumeRootCommand } from "@aws-sdk/client-sts";
import { createHandler } from "../../src/remediator/handler";
import { powertoolsLog } from "../../src/remediator/log";
import { RootKeyHandle } from "../../src/remediator/root-key";
import { inspect } from "node:util";
import {
    KEY_ONE,
    KEY_TWO,
    MEMBER,
    SESSION,
    awsMocks,
    captureStdout,
    complianceEvent,
    daysAgo,
    deps,
    fakeAccount,
    lambdaContext,
    publishedMessages,
    settings,
    type Mocks,
} from "./helpers";

describe("remediator: no full key ID or secret in logs or notifications", () => {
    let mocks: Mocks;
    beforeEach(() => {
        mocks = awsMocks();
    });
    afterEach(() => mocks.restore());

    it("Powertools JSON logs and SNS messages carry masked IDs only, yet every action is logged with account and key", async () => {
        fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(300), lastUsed: { date: daysAgo(1), service: "s3", region: "us-east-1" } },
            { id: KEY_TWO, created: daysAgo(300), lastUsed: { date: daysAgo(100), service: "iam", region: "us-east-1" } },
        ]);
        const d = deps(
            settings({ action: "delete-unused" }),
            powertoolsLog(new Logger({ serviceName: "rootguard-remediator", logLevel: "DEBUG" })),
        );
        const { output } = await captureStdout(() => createHandler(() => d)(complianceEvent(MEMBER), lambdaContext()));

        const lines = output
            .trim()
            .split("\n")
            .filter((l) => l.startsWith("{"))
            .map((l) => JSON.parse(l));
        assert.ok(lines.length >= 6, output);
        const messages = publishedMessages(mocks)
            .map((m) => `${m.subject}\n${m.message}`)
            .join("\n");
        for (const text of [output, messages]) {
            for (const secret of [KEY_ONE, KEY_TWO, SESSION.AccessKeyId, SESSION.SecretAccessKey, SESSION.SessionToken]) {
                assert.equal(text.includes(secret), false, `${secret} leaked`);
            }
            assert.ok(text.includes("AKIA****2345") && text.includes("AKIA****2346"));
        }
        const deleting = lines.find((l) => l.message === "deleting root access key");
        assert.deepEqual([deleting.accountId, deleting.keyId, deleting.level], [MEMBER, "AKIA****2346", "WARN"]);
        const decisions = lines.filter((l) => l.message === "root access key decision").map((l) => [l.accountId, l.keyId, l.decision]);
        assert.deepEqual(decisions, [
            [MEMBER, "AKIA****2345", "keep"],
            [MEMBER, "AKIA****2346", "delete"],
        ]);
        assert.ok(lines.some((l) => l.message === "root access key deleted" && l.keyId === "AKIA****2346"));
        assert.ok(lines.every((l) => l.service === "rootguard-remediator"));
    });

    it("error messages that quote a key ID are redacted before logging and notifying", async () => {
        const { STSServiceException } = await import("@aws-sdk/client-sts");
        mocks.sts.on(AssumeRootCommand).rejects(
            new STSServiceException({
                name: "AccessDenied",
                $fault: "client",
                $metadata: {},
                message: `key ${KEY_ONE} secret ${SESSION.SecretAccessKey} denied`,
            }),
        );
        const d = deps(settings(), powertoolsLog(new Logger({ serviceName: "rootguard-remediator" })));
        const { output } = await captureStdout(() => createHandler(() => d)(complianceEvent(MEMBER), lambdaContext()));
        const text =
            output +
            publishedMessages(mocks)
                .map((m) => m.message)
                .join("\n");
        assert.equal(text.includes(KEY_ONE), false);
        assert.equal(text.includes(SESSION.SecretAccessKey), false);
        assert.ok(text.includes("AKIA****2345"));
    });

    it("a RootKeyHandle prints, inspects and serializes masked", () => {
        const h = new RootKeyHandle(KEY_ONE);
        assert.equal(JSON.stringify({ h }), '{"h":"AKIA****2345"}');
        assert.equal(`${h}`, "AKIA****2345");
        assert.equal(inspect({ h }).includes(KEY_ONE), false);
        assert.equal(h.reveal(), KEY_ONE);
    });
});
