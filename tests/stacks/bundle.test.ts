import { strict as assert } from "node:assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { rootguardRoot } from "../../src/core/package-root";
import { REMEDIATOR_RUNTIME } from "../../stacks/components/remediator";
import { bundleRemediator, remediatorArchive, REMEDIATOR_ENTRY, REMEDIATOR_NODE_TARGET } from "../../stacks/remediator-bundle";
import { one, REPO_ROOT, runProgram } from "./helpers/program";

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

async function archiveText(archive: any): Promise<Record<string, string>> {
    const assets = await archive.assets;
    const out: Record<string, string> = {};
    for (const [name, asset] of Object.entries<any>(assets)) out[name] = await asset.text;
    return out;
}

describe("stacks: remediator packaging", function () {
    let code: string;
    before(() => {
        code = bundleRemediator();
    });

    it("targets the Node.js of the Lambda runtime it is deployed on", () => {
        assert.equal(`nodejs${REMEDIATOR_NODE_TARGET.slice("node".length)}.x`, REMEDIATOR_RUNTIME);
    });

    it("bundles src/remediator/handler.ts into one index.js exporting handler", async () => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, REMEDIATOR_ENTRY)));
        const files = await archiveText(remediatorArchive());
        assert.deepEqual(Object.keys(files), ["index.js"]);
        const module = { exports: {} as Record<string, unknown> };
        // Evaluated in a fresh context with Node's require: the bundle must not need anything outside itself
        // except Node built-ins.
        const requireBuiltinOnly = (id: string) => {
            const bare = id.replace(/^node:/, "");
            if (!require("module").builtinModules.includes(bare)) throw new Error(`bundle requires a non-builtin module: ${id}`);
            return require(id);
        };
        vm.runInNewContext(code, {
            module,
            exports: module.exports,
            require: requireBuiltinOnly,
            process,
            console,
            Buffer,
            setTimeout,
            clearTimeout,
            setInterval,
            clearInterval,
            setImmediate,
            URL,
            TextEncoder,
            TextDecoder,
            AbortController,
            structuredClone,
            queueMicrotask,
            performance,
            __dirname: "/var/task",
            __filename: "/var/task/index.js",
        });
        assert.equal(typeof module.exports.handler, "function");
    });

    it("is byte-identical for unchanged source: two bundles, two program runs", async () => {
        assert.equal(sha256(bundleRemediator()), sha256(code));
        const [a, b] = [await runProgram({}, { fresh: true }), await runProgram({}, { fresh: true })];
        const [ca, cb] = [a, b].map((run) => archiveText(one(run, "aws:lambda/function:Function").inputs.code));
        assert.deepEqual(await ca, await cb);
        assert.equal(sha256((await ca)["index.js"]), sha256(code));
    });

    it("leaks no absolute path, home directory, source map or timestamp", () => {
        assert.ok(!code.includes(REPO_ROOT), "repository path in bundle");
        assert.ok(!code.includes(os.homedir() + "/"), "home directory in bundle");
        assert.doesNotMatch(code, /sourceMappingURL/);
        const year = String(new Date().getUTCFullYear());
        const today = new Date().toISOString().slice(0, 10);
        assert.ok(!code.includes(today), `today's date ${today} in bundle (${year})`);
    });

    it("finds the repository root from stacks/, dist/stacks/ and nested directories, and refuses outside it", () => {
        assert.equal(rootguardRoot(path.join(REPO_ROOT, "stacks")), REPO_ROOT);
        assert.equal(rootguardRoot(path.join(REPO_ROOT, "dist", "stacks")), REPO_ROOT);
        assert.equal(rootguardRoot(path.join(REPO_ROOT, "stacks", "components")), REPO_ROOT);
        assert.throws(() => rootguardRoot(os.tmpdir()), /no package.json named "rootguard"/);
    });

    it("reports a missing entry clearly", () => {
        assert.throws(() => bundleRemediator({ entry: "src/remediator/nope.ts" }), /src\/remediator\/nope.ts does not exist/);
    });

    it("measures: size and time to bundle", () => {
        const started = process.hrtime.bigint();
        const again = bundleRemediator();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(`      remediator bundle: ${(Buffer.byteLength(again) / 1024).toFixed(0)} KiB, esbuild ${ms.toFixed(0)} ms`);
        assert.ok(Buffer.byteLength(again) < 5 * 1024 * 1024, "bundle under 5 MiB");
    });
});
