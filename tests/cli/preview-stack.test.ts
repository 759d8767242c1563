/*
 * Stacks, project names and stack config as the Pulumi CLI treats them (issue 13 item 1, issue 16 items 4, 7, 10).
 * Expected messages are Pulumi's own (pulumi/pulumi sdk/go/common/tokens, pkg/backend) where it has one.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { UNKNOWN, wrapSecret } from "../../src/core/pulumi-values";
import { UserError } from "../../src/cli/errors";
import { providerConfig } from "../../src/cli/preview/default-providers";
import { readProject, type PulumiProject } from "../../src/cli/preview/project";
import { projectNameError, stackNameError } from "../../src/cli/preview/pulumi-names";
import { environmentNotice, escEnvironments, loadStackConfig, programConfig } from "../../src/cli/preview/stack-config";
import { selectStack } from "../../src/cli/preview/stack-selection";

/** A project folder with the given files (relative path → content). */
function projectWith(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-stack-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

const PULUMI_YAML = "name: shop\nruntime: nodejs\n";

function userError(fn: () => unknown): string {
    try {
        fn();
    } catch (err) {
        assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
        return err.message;
    }
    assert.fail("expected an error");
}

describe("preview: stack selection (Pulumi's rules, offline)", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    const project = (files: Record<string, string>): PulumiProject => {
        const dir = projectWith({ "Pulumi.yaml": PULUMI_YAML, ...files });
        dirs.push(dir);
        return readProject(dir);
    };

    it("uses the only stack file when no --stack is given", () => {
        const p = project({ "Pulumi.dev.yaml": "config: {}\n" });
        assert.deepEqual(selectStack(p, undefined), { name: "dev", file: path.join(p.dir, "Pulumi.dev.yaml") });
    });

    it("refuses to guess between several stack files, listing them", () => {
        const p = project({ "Pulumi.dev.yaml": "", "Pulumi.prod.yaml": "" });
        assert.match(
            userError(() => selectStack(p, undefined)),
            /has 2 stacks: dev \(Pulumi\.dev\.yaml\), prod \(Pulumi\.prod\.yaml\); choose one with --stack NAME$/,
        );
    });

    it("refuses a folder with no stack file unless a stack is named with --allow-missing-stack-file", () => {
        const p = project({});
        assert.match(
            userError(() => selectStack(p, undefined)),
            /^no stack: .* has no Pulumi\.<stack>\.yaml; .*--allow-missing-stack-file/,
        );
        assert.deepEqual(selectStack(p, "ci", true), { name: "ci" });
    });

    it("refuses a --stack without a stack file, naming the stacks that exist and the opt-in flag", () => {
        const p = project({ "Pulumi.dev.yaml": "" });
        const message = userError(() => selectStack(p, "dve"));
        assert.match(message, /^stack 'dve' has no Pulumi\.dve\.yaml in .*; stacks here: dev \(Pulumi\.dev\.yaml\)\. /);
        assert.match(message, /--allow-missing-stack-file$/);
        assert.deepEqual(selectStack(p, "dve", true), { name: "dve" });
    });

    it("validates stack names with Pulumi's messages and accepts owner/stack and owner/project/stack", () => {
        const p = project({ "Pulumi.dev.yaml": "" });
        assert.equal(
            userError(() => selectStack(p, "dev;rm")),
            "--stack 'dev;rm': a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ';' at position 3",
        );
        assert.equal(
            userError(() => selectStack(p, "")),
            "--stack '': a stack name may not be empty",
        );
        assert.match(
            userError(() => selectStack(p, "x".repeat(101))),
            /a stack name cannot exceed 100 characters$/,
        );
        assert.equal(
            userError(() => selectStack(p, "a/b/c/d")),
            "--stack: could not parse stack name 'a/b/c/d'",
        );
        assert.equal(
            userError(() => selectStack(p, "acme/web/dev")),
            "--stack 'acme/web/dev' names project 'web', but this program's Pulumi.yaml is project 'shop'",
        );
        assert.equal(selectStack(p, "acme/shop/dev").file, path.join(p.dir, "Pulumi.dev.yaml"));
        assert.equal(selectStack(p, "acme/dev").file, path.join(p.dir, "Pulumi.dev.yaml"));
    });

    it("never reaches a file outside the project's stack folder, whatever --stack says", () => {
        const p = project({ "Pulumi.dev.yaml": "" });
        fc.assert(
            fc.property(
                fc.oneof(fc.string(), fc.constantFrom("../../etc/passwd", "..", "../x", "/etc/passwd", "a/../../b", "dev/..")),
                (ref) => {
                    try {
                        const selection = selectStack(p, ref, true);
                        return selection.file === undefined || path.dirname(selection.file) === p.dir;
                    } catch (err) {
                        return err instanceof UserError;
                    }
                },
            ),
            { numRuns: 500 },
        );
    });

    it("finds stack files in stackConfigDir and with the project file's extension", () => {
        const inDir = project({ "Pulumi.yaml": `${PULUMI_YAML}stackConfigDir: config\n`, "config/Pulumi.prod.yaml": "" });
        assert.deepEqual(selectStack(inDir, undefined), { name: "prod", file: path.join(inDir.dir, "config", "Pulumi.prod.yaml") });
        const dir = projectWith({ "Pulumi.yml": PULUMI_YAML, "Pulumi.qa.yml": "", "Pulumi.dev.yaml": "" });
        dirs.push(dir);
        assert.equal(selectStack(readProject(dir), undefined).name, "qa");
    });
});

describe("preview: Pulumi's project and stack name rules", () => {
    it("rejects template names like ${PROJECT}, as the backends do", () => {
        const dir = projectWith({ "Pulumi.yaml": "name: ${PROJECT}\nruntime: nodejs\n" });
        try {
            assert.equal(
                userError(() => readProject(dir)),
                `${path.join(dir, "Pulumi.yaml")}: name '\${PROJECT}' is not a valid project name: project names may only contain alphanumerics, hyphens, underscores, and periods`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("agrees with tokens.ValidateProjectName and ParseStackName on edge cases", () => {
        assert.equal(projectNameError("my-app_1.2"), undefined);
        assert.equal(projectNameError(""), "project names may not be empty");
        assert.equal(projectNameError("a".repeat(100)), undefined);
        assert.equal(projectNameError("a".repeat(101)), "project names are limited to 100 characters");
        assert.equal(
            projectNameError("nginx-ec2-instance/"),
            "project names may only contain alphanumerics, hyphens, underscores, and periods",
        );
        assert.equal(stackNameError("dev.eu-west-1_blue"), undefined);
        assert.equal(
            stackNameError("dev prod"),
            "a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ' ' at position 3",
        );
    });
});

describe("preview: stack config the CLI would hand the program", () => {
    it("decrypts nothing but keeps the readable parts of an object with secure leaves (config.requireObject works)", () => {
        const dir = projectWith({
            "Pulumi.yaml": PULUMI_YAML,
            "Pulumi.dev.yaml": [
                "config:",
                "  shop:db:",
                "    host: db.internal",
                "    port: 5432",
                "    password:",
                "      secure: v1:QUFBQUFBQUFBQUFB",
                "  shop:token:",
                "    secure: v1:QkJCQkJCQkJCQkJC",
                "  aws:assumeRole:",
                "    roleArn: arn:aws:iam::123456789012:role/deploy",
                "    externalId:",
                "      secure: v1:Q0NDQ0NDQ0NDQ0ND",
                "",
            ].join("\n"),
        });
        try {
            const project = readProject(dir);
            const config = loadStackConfig(project, selectStack(project, undefined), []);
            const { config: env, secretKeys } = programConfig(config);
            assert.deepEqual(JSON.parse(env["shop:db"]), { host: "db.internal", port: 5432, password: UNKNOWN });
            assert.equal(env["shop:token"], UNKNOWN);
            assert.deepEqual(secretKeys.sort(), ["aws:assumeRole", "shop:db", "shop:token"]);
            assert.deepEqual(providerConfig(config, "aws"), {
                assumeRole: wrapSecret({ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: UNKNOWN }),
            });
            assert.doesNotMatch(JSON.stringify(env), /v1:/, "ciphertext is never handed on");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads the ESC environments a stack imports, in both of Pulumi's forms, and says they cannot be read offline", () => {
        assert.deepEqual(escEnvironments(["acme/aws-dev", "acme/shared"]), ["acme/aws-dev", "acme/shared"]);
        assert.deepEqual(
            escEnvironments({ imports: ["acme/aws-dev", { "acme/extra": { merge: false } }], values: { pulumiConfig: { a: 1 } } }),
            ["acme/aws-dev", "acme/extra", "yaml"],
        );
        assert.deepEqual(escEnvironments(undefined), []);

        const dir = projectWith({
            "Pulumi.yaml": "name: shop\nruntime: nodejs\nconfig:\n  owner:\n    type: string\n",
            "Pulumi.dev.yaml": "environment:\n  - acme/aws-dev\n",
        });
        try {
            const project = readProject(dir);
            assert.equal(
                userError(() => loadStackConfig(project, selectStack(project, undefined), [])),
                "missing required configuration 'shop:owner': add it to Pulumi.dev.yaml or pass --config owner=VALUE; Pulumi ESC ('acme/aws-dev') may set it, but cannot be read offline",
            );
            const config = loadStackConfig(project, selectStack(project, undefined), ["owner=me"]);
            assert.match(
                environmentNotice(config) ?? "",
                /^stack 'dev' takes configuration from Pulumi ESC \('acme\/aws-dev'\), which cannot be read offline: pass the values the program needs with --config key=value/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
