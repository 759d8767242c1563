/**
 * Which Node runs the suite, and every process it starts. `.ci/run` runs the whole suite a second time under
 * `npx -p node@24` with ROOTGUARD_EXPECT_NODE_MAJOR=24: this proves that run is really on Node 24, down to the
 * pack the engine client starts, the CLI and the program runner the CLI forks, and `node` found on PATH (npm
 * scripts, shebangs). Without the variable it still proves every process runs on the suite's own Node.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startPack } from "../../src/engine";
import { ensureBuilt } from "../build";
import { runCli } from "../cli/preview-helpers";

const REPO_ROOT = path.resolve(__dirname, "../..");
const expectedMajor = process.env.ROOTGUARD_EXPECT_NODE_MAJOR;

function tempDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-node-version-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("the Node.js the suite runs on", function () {
    this.timeout(120_000);

    it("is the major CI asked for (ROOTGUARD_EXPECT_NODE_MAJOR), and so is `node` on PATH", function () {
        if (!expectedMajor) this.skip();
        assert.equal(process.versions.node.split(".")[0], expectedMajor, `mocha runs on ${process.version}`);
        const onPath = execFileSync("node", ["-p", "process.version"], { encoding: "utf8" }).trim();
        assert.equal(onPath, process.version, "`node` on PATH");
    });

    it("is the Node of the policy pack the engine client starts", async () => {
        const dir = tempDir({
            "package.json": JSON.stringify({ name: "node-version-pack", version: "0.0.1", main: "index.js" }),
            "index.js":
                'const { PolicyPack } = require("@pulumi/policy");\n' +
                'new PolicyPack("node-version", { policies: [{ name: "node", description: `runs on ${process.version}`, ' +
                'enforcementLevel: "advisory", validateResource: () => {} }] });\n',
        });
        // Outside the repository the pack resolves @pulumi/policy through rootguard's install.
        const pack = await startPack(dir, { env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, "node_modules") } });
        try {
            assert.equal((await pack.info()).policies[0].description, `runs on ${process.version}`);
        } finally {
            await pack.close();
        }
    });

    it("is the Node of the rootguard CLI and of the program runner it forks", async () => {
        ensureBuilt();
        const dir = tempDir({
            "Pulumi.yaml": "name: nodeversion\nruntime: nodejs\nmain: index.js\n",
            // Pulumi has no stack without a stack file here: a preview needs one (or --allow-missing-stack-file).
            "Pulumi.dev.yaml": "config: {}\n",
            "index.js": "console.error(`program runs on ${process.version}`);\n",
        });
        // The runner is a fork of the CLI (the CLI's own binary): what the program prints covers both.
        const r = await runCli(["preview", dir, "--json"], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`^program runs on ${process.version.replace(/\./g, "\\.")}$`, "m"));
    });
});
