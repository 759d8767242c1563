/**
 * rootguard as a dependency of another Pulumi program: the tarball `npm pack` makes (what a git URL or tarball
 * dependency installs), unpacked into a temporary program's node_modules beside rootguard's own dependencies
 * (linked from this repository's install, as npm would hoist them). The program imports typed components by
 * package name, type-checks under Pulumi's own template tsconfig, and previews `RootGuardrails` under mocks
 * through the installed CLI and pack.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt } from "../build";
import { cleanEnv } from "../cli/preview-helpers";

const REPO_ROOT = path.resolve(__dirname, "../..");
const TSC = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");

/** pulumi/templates aws-typescript/tsconfig.json (commit bad1b653ab699e932d21cd3b069672a195ae346d, Apache-2.0). */
const PULUMI_TEMPLATE_TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
};

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { RootCredentialRules, RootGuardrails } from "rootguard/components";
import { CONFIG_KEYS, parseConfig, type RootguardConfig } from "rootguard/config";
import { maskKeyId, ROOT_ACCESS_KEY_RULE } from "rootguard/core";

// Typed inputs, the stack's keys (what the component package's SDKs take too):
const guardrails = new RootGuardrails("rootguard", {
    mode: "account",
    createRecorder: false,
    frequency: "Twelve_Hours",
    alertEmails: ["sec@example.com"],
});
// Or config strings through the stack's parser, as stacks/index.ts does:
const values: Record<string, string> = { createRecorder: "false" };
const config: RootguardConfig = parseConfig((key) => values[key], "eu-west-1");
export const parsedMode: string = config.mode;

export const topicArn: pulumi.Output<string> = guardrails.alertTopicArn;
export const ruleNames: pulumi.Output<string[]> = guardrails.ruleNames;
export const identifier: string = ROOT_ACCESS_KEY_RULE.identifier;
export const keys: number = Object.keys(CONFIG_KEYS).length;
export const masked: string = maskKeyId("AKIAIOSFODNN7EXAMPLE");

// Never called: proves the types are real (an \`any\` would make the directive below an error).
export function typesAreChecked(): void {
    // @ts-expect-error frequency accepts only AWS Config's values
    new RootCredentialRules("typo", { scope: "account", frequency: "Hourly" });
}
`;

/** A pack of one's own from rootguard's policies, with the core's helpers: no @pulumi/aws, so its type-check is quick. */
const PACK = `import { PolicyPack } from "@pulumi/policy";
import { LOG_RETENTION_DAYS } from "rootguard/config";
import { CONFIG_FREQUENCIES, isAccessKeyId } from "rootguard/core";
import { allPolicies } from "rootguard/policies";

export const frequencies: readonly string[] = CONFIG_FREQUENCIES;
export const retention: number[] = LOG_RETENTION_DAYS;
export const isKey: boolean = isAccessKeyId("AKIAIOSFODNN7EXAMPLE");

export const names: string[] = allPolicies.map((p) => p.name);
export function start(): PolicyPack {
    return new PolicyPack("mine", { policies: allPolicies.filter((p) => p.name !== "no-root-credentials") });
}
`;

function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `rootguard-${prefix}-`));
}

function tsc(dir: string, project: string): { status: number | null; output: string } {
    const r = spawnSync(process.execPath, [TSC, "-p", project, "--noEmit"], { cwd: dir, encoding: "utf8" });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("rootguard as a library: the packed tarball in another program", function () {
    this.timeout(600_000);
    let files: string[];
    let program: string;
    let installed: string;

    before(() => {
        ensureBuilt();
        const packed = tempDir("pack");
        // dist/ is fresh (ensureBuilt); `prepare` would only rebuild it.
        const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packed], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        const info = JSON.parse(out)[0] as { filename: string; files: { path: string }[] };
        files = info.files.map((f) => f.path);

        program = tempDir("consumer");
        installed = path.join(program, "node_modules/rootguard");
        fs.mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(packed, info.filename), "-C", installed, "--strip-components=1"]);
        // rootguard's dependencies next to it, as npm hoists them in a real install.
        const deps = path.join(REPO_ROOT, "node_modules");
        for (const entry of fs.readdirSync(deps)) {
            if (entry.startsWith(".")) continue;
            fs.symlinkSync(path.join(deps, entry), path.join(program, "node_modules", entry), "dir");
        }
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\nconfig:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(
            path.join(program, "package.json"),
            JSON.stringify({ name: "consumer", main: "index.ts", dependencies: { rootguard: `file:${path.join(packed, info.filename)}` } }),
        );
        // The template's options as they are, over the program file.
        fs.writeFileSync(
            path.join(program, "tsconfig.json"),
            JSON.stringify({ ...PULUMI_TEMPLATE_TSCONFIG, files: ["index.ts"] }, null, 4),
        );
        // The exports' `types` conditions, as node16/nodenext resolve them. @pulumi/policy 1.21's own index.d.ts
        // re-exports names its proxy.d.ts does not declare, so anything importing its types needs skipLibCheck; the
        // template run is the one that checks our declarations.
        fs.writeFileSync(
            path.join(program, "tsconfig.nodenext.json"),
            JSON.stringify({
                extends: "./tsconfig.json",
                compilerOptions: { module: "nodenext", moduleResolution: "nodenext", skipLibCheck: true },
                files: ["pack.ts"],
            }),
        );
        fs.writeFileSync(path.join(program, "index.ts"), PROGRAM);
        fs.writeFileSync(path.join(program, "pack.ts"), PACK);
    });

    it("ships the compiled library with declarations, the pack's main and the remediator's source; no tests, bench or maps of them", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        const needed = [
            manifest.main,
            ...Object.values<{ types: string; default: string } | string>(manifest.exports).flatMap((e) =>
                typeof e === "string" ? [e] : [e.types, e.default],
            ),
            "dist/src/cli/main.js",
            "src/remediator/handler.ts",
            "PulumiPolicy.yaml",
        ].map((f) => f.replace(/^\.\//, ""));
        for (const f of needed) assert.ok(files.includes(f), f);
        assert.deepEqual(
            files.filter((f) => /^(tests|bench|examples|docs|node_modules|coverage)\//.test(f)),
            [],
        );
    });

    it("type-checks a program importing rootguard/components, /config and /core under Pulumi's template tsconfig (no skipLibCheck)", () => {
        const r = tsc(program, "tsconfig.json");
        assert.equal(r.status, 0, r.output);
    });

    it("type-checks a pack built from rootguard/policies, /config and /core with moduleResolution nodenext (exports' types)", () => {
        const r = tsc(program, "tsconfig.nodenext.json");
        assert.equal(r.status, 0, r.output);
    });

    it("loads every entry point without starting the pack, and exports nothing else", () => {
        const script = [
            'for (const entry of ["rootguard/components", "rootguard/config", "rootguard/core", "rootguard/policies"]) require(entry);',
            'try { require("rootguard"); console.log("bare: loaded"); } catch (e) { console.log("bare: " + e.code); }',
            'try { require("rootguard/dist/policies/index.js"); console.log("deep: loaded"); } catch (e) { console.log("deep: " + e.code); }',
        ].join("\n");
        // A started pack would print its port and keep the process alive; this one must finish on its own.
        const r = spawnSync(process.execPath, ["-e", script], { cwd: program, encoding: "utf8", timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "bare: ERR_PACKAGE_PATH_NOT_EXPORTED\ndeep: ERR_PACKAGE_PATH_NOT_EXPORTED\n");
    });

    it("previews RootGuardrails with the installed CLI and pack: the guardrail's resources, no violation", () => {
        const r = spawnSync(
            process.execPath,
            [path.join(installed, "dist/src/cli/main.js"), "preview", ".", "--json", "--stack", "dev", "--allow-missing-stack-file"],
            {
                cwd: program,
                env: cleanEnv(),
                encoding: "utf8",
                timeout: 300_000,
            },
        );
        assert.equal(r.status, 0, r.stderr);
        const report = JSON.parse(r.stdout) as {
            policyPack: { name: string };
            resources: { type: string; name: string }[];
            summary: { mandatory: number; advisory: number };
        };
        assert.equal(report.policyPack.name, "rootguard");
        const types = report.resources.map((x) => x.type);
        for (const t of [
            "rootguard:index:RootGuardrails",
            "rootguard:index:RootCredentialRules",
            "aws:cfg/rule:Rule",
            "aws:lambda/function:Function",
            "aws:sns/topic:Topic",
        ])
            assert.ok(types.includes(t), `${t} in ${types.join(", ")}`);
        assert.equal(report.summary.mandatory, 0, r.stdout);
    });
});
