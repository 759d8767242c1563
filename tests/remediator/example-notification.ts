/**
 * The example notification in docs/remediator.md, produced by the real pipeline: organization mode, delete-unused,
 * one member account with a key in use and a key idle for 200 days. readme-example.test.ts checks the
 * page still shows exactly this; `node -r ts-node/register/transpile-only tests/remediator/example-notification.ts`
 * prints it.
 */
import { createHandler } from "../../src/remediator/handler";
import {
    awsMocks,
    complianceEvent,
    daysAgo,
    deps,
    fakeAccount,
    lambdaContext,
    publishedMessages,
    settings,
    KEY_ONE,
    KEY_TWO,
} from "./helpers";

export const EXAMPLE_ACCOUNT = "123456789012";

export async function exampleNotification(): Promise<{ subject: string; message: string }> {
    const mocks = awsMocks();
    try {
        fakeAccount(mocks, [
            { id: KEY_ONE, created: daysAgo(420), lastUsed: { date: daysAgo(1), service: "s3", region: "eu-west-1" } },
            { id: KEY_TWO, created: daysAgo(900), status: "Active", lastUsed: { date: daysAgo(200), service: "ec2", region: "us-east-1" } },
        ]);
        const d = deps(settings({ action: "delete-unused" }));
        await createHandler(() => d)(complianceEvent(EXAMPLE_ACCOUNT), lambdaContext());
        const [m] = publishedMessages(mocks);
        return { subject: m.subject, message: m.message };
    } finally {
        mocks.restore();
    }
}

if (require.main === module) {
    exampleNotification().then((n) => console.log(`Subject: ${n.subject}\n\n${n.message}`));
}
