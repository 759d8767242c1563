/** The built CLI, as a user runs it: an error is one actionable line on stderr and exit code 2. */
import { strict as assert } from "node:assert";
import * as os from "node:os";
import * as path from "node:path";
import { quietSdkNodeVersionWarning } from "../../src/core/sdk-warnings";
import { cleanEnv, runCli } from "./preview-helpers";
import { ensureBuilt } from "../build";

describe("rootguard CLI errors", function () {
    this.timeout(60_000);
    before(() => ensureBuilt());

    // No credentials anywhere: no env keys, no config files, no instance metadata.
    const noCredentials = cleanEnv({
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: path.join(os.tmpdir(), "rootguard-no-such-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "rootguard-no-such-credentials"),
    });

    it("compliance without credentials: exit 2 and exactly one line, with no SDK notice above it", async () => {
        const r = await runCli(["compliance", "--region", "eu-west-1"], { env: noCredentials });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^rootguard: no AWS credentials found: [^\n]+\n$/);
    });

    it("an unknown command: exit 2", async () => {
        const r = await runCli(["deploy"], { env: noCredentials });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /unknown command 'deploy'/);
    });
});

describe("the AWS SDK's Node version notice", () => {
    it("is turned off by default and left alone when the user chose", () => {
        const unset: NodeJS.ProcessEnv = {};
        quietSdkNodeVersionWarning(unset);
        assert.equal(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, "true");
        const chosen: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false" };
        quietSdkNodeVersionWarning(chosen);
        assert.equal(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, "false");
    });
});
