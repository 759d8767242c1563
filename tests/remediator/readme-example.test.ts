import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { exampleNotification } from "./example-notification";

describe("remediator docs", () => {
    it("shows the notification the code produces today", async () => {
        const readme = fs.readFileSync(path.join(__dirname, "../../docs/remediator.md"), "utf8");
        const m = /<!-- example-notification:start -->\n```text\n([\s\S]*?)\n```\n<!-- example-notification:end -->/.exec(readme);
        assert.ok(m, "example markers missing");
        const n = await exampleNotification();
        assert.equal(
            m[1],
            `Subject: ${n.subject}\n\n${n.message}`,
            "regenerate with: node -r ts-node/register/transpile-only tests/remediator/example-notification.ts",
        );
    });
});
