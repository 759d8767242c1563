/** What loading the pack costs, seen from a fresh process: nothing heavy until a policy needs it. */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

describe("policy pack start-up path", () => {
    it("loads without the AWS SDK or the provider SDKs (they load only when STS is called)", function () {
        this.timeout(60_000);
        const script =
            "require('./policies/all');" +
            "const loaded = Object.keys(require.cache);" +
            "console.log(JSON.stringify({ sts: loaded.some((k) => k.includes('@aws-sdk/')), aws: loaded.some((k) => /@pulumi[\\/]aws(-native)?[\\/]/.test(k)), yaml: loaded.some((k) => /node_modules[\\/]yaml[\\/]/.test(k)) }));";
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: `${__dirname}/../..`,
            encoding: "utf8",
        });
        assert.deepEqual(JSON.parse(out.trim().split("\n").pop() ?? "{}"), { sts: false, aws: false, yaml: false });
    });
});
