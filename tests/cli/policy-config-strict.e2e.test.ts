import { strict as assert } from "node:assert";
import { fixture, runCli } from "./preview-helpers";
import { ensureBuilt } from "../build";

/* `--policy-pack-config` with a misspelt setting: the Pulumi CLI would pass it and leave the policy at its default. */
describe("rootguard preview --policy-pack-config with a setting no policy declares", function () {
    this.timeout(120_000);
    before(() => ensureBuilt());

    it("exits 2 with one line naming each policy, its unknown key and its real settings", async () => {
        const r = await runCli(["preview", fixture("clean"), "--policy-pack-config", fixture("unknown-setting.json")]);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(
            r.stderr,
            /^rootguard: policy pack config rejected: [^\n]*"timeoutMS" is not a setting of this policy [^\n]*timeoutMs/,
        );
        assert.match(
            r.stderr,
            /"root-key-check-coverage": "requireRules" is not a setting of this policy \(its settings are [^\n]*requireRule[^\n]*\)\n$/,
        );
        assert.equal(r.stdout, "");
    });
});
