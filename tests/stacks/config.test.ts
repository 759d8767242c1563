import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_FREQUENCIES } from "../../src/core/aws-facts";
import { CONFIG_KEYS, ConfigError, ConfigKey, parseConfig } from "../../stacks/config";
import { REPO_ROOT, runProgram } from "./helpers/program";

/** createRecorder is required; the tests' account already records unless a test says otherwise. */
function parse(values: Partial<Record<ConfigKey, unknown>>, region: string | undefined = "eu-west-1") {
    const all: Partial<Record<ConfigKey, unknown>> = { createRecorder: false, ...values };
    return parseConfig((key) => {
        const v = all[key];
        return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
    }, region);
}

function rejects(values: Partial<Record<ConfigKey, unknown>>, key: string, message: RegExp | string, region?: string): void {
    assert.throws(
        () => parse(values, region),
        (err: unknown) => {
            assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
            assert.equal(err.key, key);
            if (typeof message === "string") assert.equal(err.message, message);
            else assert.match(err.message, message);
            return true;
        },
    );
}

describe("stacks config", () => {
    it("defaults to account mode, daily evaluation, notify, no recorder", () => {
        const c = parse({});
        assert.equal(c.mode, "account");
        assert.equal(c.frequency, "TwentyFour_Hours");
        assert.equal(c.remediation, "notify");
        assert.equal(c.unusedDays, 45);
        assert.equal(c.createRecorder, false);
        assert.equal(c.rootMfaRule, true);
        assert.equal(c.hardwareMfaRule, false);
        assert.equal(c.automaticRemediation, false);
        assert.equal(c.concurrency, 5);
        assert.equal(c.logRetentionDays, 90);
        assert.deepEqual(c.alertEmails, []);
    });

    it("reads lists as JSON (Pulumi.yaml arrays) or comma-separated, deduplicated", () => {
        assert.deepEqual(parse({ alertEmails: ["a@example.com", "b@example.org", "a@example.com"] }).alertEmails, [
            "a@example.com",
            "b@example.org",
        ]);
        assert.deepEqual(parse({ alertEmails: "a@example.com, b@example.org" }).alertEmails, ["a@example.com", "b@example.org"]);
        const org = parse({
            mode: "organization",
            excludedAccounts: ["111122223333", 444455556666],
            scpTargets: ["r-ab12", "ou-ab12-cdefgh34", "111122223333"],
        });
        assert.deepEqual(org.excludedAccounts, ["111122223333", "444455556666"]);
        assert.deepEqual(org.scpTargets, ["r-ab12", "ou-ab12-cdefgh34", "111122223333"]);
    });

    describe("one clear message naming the key", () => {
        it("mode", () => rejects({ mode: "org" }, "mode", 'rootguard:mode must be one of account, organization (got "org")'));
        it("frequency", () =>
            rejects(
                { frequency: "Hourly" },
                "frequency",
                `rootguard:frequency must be one of ${CONFIG_FREQUENCIES.join(", ")} (got "Hourly")`,
            ));
        it("alertEmails", () =>
            rejects(
                { alertEmails: ["ops@example.com", "not-an-email"] },
                "alertEmails",
                /^rootguard:alertEmails must hold e-mail addresses .*\(got "not-an-email"\)$/,
            ));
        it("alertEmails that is not a list", () =>
            rejects({ alertEmails: "[oops" }, "alertEmails", /^rootguard:alertEmails must be a list/));
        it("excludedAccounts", () =>
            rejects(
                { mode: "organization", excludedAccounts: ["12345678901"] },
                "excludedAccounts",
                'rootguard:excludedAccounts must hold 12-digit account ids (got "12345678901")',
            ));
        it("scpTargets", () =>
            rejects(
                { mode: "organization", scpTargets: ["ou-bad"] },
                "scpTargets",
                /^rootguard:scpTargets must hold organization root ids .*\(got "ou-bad"\)$/,
            ));
        it("remediation", () =>
            rejects(
                { remediation: "purge" },
                "remediation",
                'rootguard:remediation must be one of notify, delete-unused, delete (got "purge")',
            ));
        it("unusedDays", () =>
            rejects({ unusedDays: "0" }, "unusedDays", 'rootguard:unusedDays must be an integer from 1 to 3650 (got "0")'));
        it("booleans", () => rejects({ dryRun: "yes" }, "dryRun", 'rootguard:dryRun must be true or false (got "yes")'));
        it("reconcileSchedule", () =>
            rejects({ reconcileSchedule: "daily" }, "reconcileSchedule", /^rootguard:reconcileSchedule must be an EventBridge schedule/));
        it("reconcileSchedule singular/plural", () =>
            rejects({ reconcileSchedule: "rate(1 days)" }, "reconcileSchedule", /EventBridge schedule/));
        it("logRetentionDays", () =>
            rejects(
                { logRetentionDays: "100" },
                "logRetentionDays",
                /^rootguard:logRetentionDays must be one of 1, 3, 5, .* \(got "100"\)$/,
            ));
        it("lambdaTimeoutSeconds", () => rejects({ lambdaTimeoutSeconds: "901" }, "lambdaTimeoutSeconds", /from 60 to 900/));
        it("concurrency (the SQS event source maximum concurrency, 2–1000)", () =>
            rejects({ concurrency: "1" }, "concurrency", /from 2 to 1000/));
        it("namePrefix", () => {
            rejects({ namePrefix: "9lives" }, "namePrefix", /^rootguard:namePrefix must start with a lower-case letter/);
            rejects({ namePrefix: "RootGuard" }, "namePrefix", /^rootguard:namePrefix must start with a lower-case letter/);
        });
        it("alertKmsKeyId", () => rejects({ alertKmsKeyId: "my key" }, "alertKmsKeyId", /^rootguard:alertKmsKeyId must be a KMS key/));
        it("aws:region", () => rejects({}, "aws:region", /^aws:region must be set/, ""));
        it("organization-only keys in account mode", () => {
            rejects({ excludedAccounts: ["111122223333"] }, "excludedAccounts", /applies only to mode organization/);
            rejects({ scpTargets: ["r-ab12"] }, "scpTargets", /applies only to mode organization/);
            rejects({ denyAllRootActions: "true" }, "denyAllRootActions", /applies only to mode organization/);
        });
        it("activityRegions", () => {
            rejects(
                { activityRegions: ["eu-west-9"] },
                "activityRegions",
                'rootguard:activityRegions must hold AWS region names such as eu-west-1 (got "eu-west-9")',
            );
            rejects({ activityRegions: ["cn-north-1"] }, "activityRegions", /must hold regions of the stack region's partition \(aws\)/);
        });
        it("activityTargets", () => {
            rejects({ mode: "organization", activityTargets: ["123456789012"] }, "activityTargets", /root ids \(r-…\) or OU ids/);
            rejects({ activityTargets: ["r-ab12"] }, "activityTargets", /applies only to mode organization/);
        });
        it("aws:region of no partition rootguard knows, with or without root activity alerts", () => {
            // Neither the activity path nor the Config rules exist there: the rules' check names the region too.
            rejects(
                {},
                "aws:region",
                /^aws:region us-iso-east-1 (is not a region rootguard knows|cannot host rootguard's rules)/,
                "us-iso-east-1",
            );
            rejects(
                { rootActivityAlerts: "false" },
                "aws:region",
                /^aws:region us-iso-east-1 cannot host rootguard's rules/,
                "us-iso-east-1",
            );
        });
        it("automatic remediation in organization mode", () =>
            rejects({ mode: "organization", automaticRemediation: "true" }, "automaticRemediation", /applies only to mode account/));
    });

    it("the program fails with the same message, as a RunError, before creating anything", async () => {
        for (const [config, message] of [
            [{ mode: "org" }, 'rootguard:mode must be one of account, organization (got "org")'],
            [{ frequency: "Hourly" }, `rootguard:frequency must be one of ${CONFIG_FREQUENCIES.join(", ")} (got "Hourly")`],
            [{ alertEmails: ["root@"] }, /rootguard:alertEmails/],
            [{ mode: "organization", excludedAccounts: ["abc"] }, /rootguard:excludedAccounts/],
        ] as const) {
            await assert.rejects(runProgram(config), (err: Error) => {
                assert.equal(err.constructor.name, "RunError");
                if (typeof message === "string") assert.equal(err.message, message);
                else assert.match(err.message, message);
                return true;
            });
        }
    });

    it("accepts every Pulumi.yaml default handed over as a set value, as the Pulumi CLI does, in both modes and every partition", () => {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        const defaults: Record<string, string> = {};
        for (const [key, decl] of Object.entries(project.config as Record<string, { default?: unknown }>)) {
            if (decl.default !== undefined) defaults[key] = typeof decl.default === "string" ? decl.default : JSON.stringify(decl.default);
        }
        for (const mode of ["account", "organization"]) {
            for (const region of ["eu-west-1", "us-gov-west-1", "cn-north-1"]) {
                const values: Record<string, string> = { ...defaults, mode, createRecorder: "false" };
                const c = parseConfig((k) => values[k], region);
                assert.equal(c.mode, mode);
            }
        }
    });

    it("Pulumi.yaml declares every key with the type, default and description of stacks/config.ts", () => {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        assert.equal(project.name, "rootguard");
        assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: true } });
        assert.equal(project.main, "stacks/");
        assert.deepEqual(Object.keys(project.config).sort(), Object.keys(CONFIG_KEYS).sort());
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
            const declared = project.config[key];
            assert.equal(declared.type, spec.type, key);
            assert.deepEqual(declared.default, spec.default, key);
            assert.equal(declared.description, spec.description, key);
            if (spec.type === "array") assert.deepEqual(declared.items, { type: "string" }, key);
        }
    });

    it("the docs configuration table lists every key with the default stacks/config.ts applies", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "docs/stacks.md"), "utf8");
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
            // The type cell of an enum holds escaped pipes (`a` \| `b`).
            const row = new RegExp(`^\\| \`rootguard:${key}\` \\| (?:[^|\\\\]|\\\\.)+ \\| ([^|]+) \\|`, "m").exec(readme);
            assert.ok(row, `docs/stacks.md documents rootguard:${key}`);
            const value = Array.isArray(spec.default) ? JSON.stringify(spec.default) : spec.default === "" ? '""' : String(spec.default);
            const expected = spec.default === undefined ? "— (required)" : `\`${value}\``;
            assert.equal(row[1], expected, `docs/stacks.md default of rootguard:${key}`);
        }
    });

    it("the example stack files are valid configurations of their mode and hold no secrets", () => {
        for (const [file, mode] of [
            ["Pulumi.example-account.yaml", "account"],
            ["Pulumi.example-organization.yaml", "organization"],
        ]) {
            const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
            assert.doesNotMatch(text, /secure:|AKIA|ASIA/, file);
            const values = YAML.parse(text).config as Record<string, unknown>;
            const c = parseConfig((key) => {
                const v = values[`rootguard:${key}`];
                return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
            }, values["aws:region"] as string);
            assert.equal(c.mode, mode, file);
            for (const key of Object.keys(values)) {
                if (key.startsWith("rootguard:")) assert.ok(key.slice("rootguard:".length) in CONFIG_KEYS, `${file}: unknown key ${key}`);
            }
        }
    });
});
