/** The parts of doctor that need no AWS: the concurrency rule, trail selectors, error lines, stack reading, output. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DeadlineError } from "../../src/aws/client-config";
import { endpointOf } from "../../src/aws/observe";
import { sdkClients } from "../../src/cli/doctor/clients";
import { UserError } from "../../src/cli/errors";
import fc from "fast-check";
import {
    concurrencyAfter,
    concurrencyFixes,
    concurrencyOk,
    judgeConcurrency,
    type ConcurrencyAsk,
    type ConcurrencyFacts,
} from "../../src/cli/doctor/checks/lambda";
import { logsWriteManagementEvents } from "../../src/cli/doctor/checks/trail";
import { renderText } from "../../src/cli/doctor/report";
import { CallFailed, outcomeOfError } from "../../src/cli/doctor/result";
import { doctorExitCode, type DoctorReport } from "../../src/cli/doctor/run";
import { readDoctorStack } from "../../src/cli/doctor/stack";
import { withAwsEnv } from "./doctor-helpers";
import { silentServer } from "./misbehaving-endpoints";
import { REPO_ROOT } from "./preview-helpers";

function sdkError(name: string, status?: number): Error {
    return Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status } });
}

const CTX = { region: "eu-west-1", env: {}, timeoutSeconds: 60 };

describe("doctor: Lambda's unreserved floor", () => {
    it("keeps min(100, limit) unreserved: a 10-execution account can reserve nothing", () => {
        assert.deepEqual(concurrencyAfter({ limit: 10, unreserved: 10, current: 0 }, 1), { left: 9, floor: 10, ok: false });
        assert.equal(concurrencyAfter({ limit: 1000, unreserved: 1000, current: 0 }, 2).ok, true);
        assert.equal(concurrencyAfter({ limit: 1000, unreserved: 101, current: 0 }, 2).ok, false);
        assert.equal(concurrencyAfter({ limit: 1000, unreserved: 100, current: 2 }, 2).ok, true, "its own reservation is free to reuse");
    });
});

describe("doctor: the remediator's concurrency against the account's", () => {
    const NEW_ACCOUNT: ConcurrencyFacts = { limit: 10, unreserved: 10, current: 0 };

    it("needs the workers (rootguard:concurrency) plus one for the reconcile, from its reservation or else the unreserved pool", () => {
        assert.deepEqual(judgeConcurrency(NEW_ACCOUNT, { concurrency: 5, reservedConcurrency: 0 }), { needed: 6, available: 10 });
        assert.equal(concurrencyOk(judgeConcurrency(NEW_ACCOUNT, { concurrency: 9, reservedConcurrency: 0 })), true);
        assert.equal(concurrencyOk(judgeConcurrency(NEW_ACCOUNT, { concurrency: 10, reservedConcurrency: 0 })), false);
        const big = { limit: 1000, unreserved: 1000, current: 0 };
        assert.equal(
            concurrencyOk(judgeConcurrency(big, { concurrency: 5, reservedConcurrency: 5 })),
            false,
            "reservation = maximum concurrency",
        );
        assert.equal(concurrencyOk(judgeConcurrency(big, { concurrency: 5, reservedConcurrency: 6 })), true);
        // Dropping a reservation returns it to the pool the function then draws on.
        assert.equal(
            judgeConcurrency({ limit: 1000, unreserved: 900, current: 100 }, { concurrency: 5, reservedConcurrency: 0 }).available,
            1000,
        );
    });

    it("offers only fixes that pass, and one whenever any config in range would (property)", () => {
        const facts = fc
            .record({ limit: fc.integer({ min: 10, max: 5000 }), others: fc.nat({ max: 5000 }), current: fc.nat({ max: 1000 }) })
            .map(({ limit, others, current }): ConcurrencyFacts => {
                const floor = Math.min(100, limit);
                const own = Math.min(current, limit - floor);
                return { limit, current: own, unreserved: limit - own - Math.min(others, limit - floor - own) };
            });
        const ask = fc.record({ concurrency: fc.integer({ min: 2, max: 1000 }), reservedConcurrency: fc.integer({ min: 0, max: 1000 }) });
        fc.assert(
            fc.property(facts, ask, (f: ConcurrencyFacts, a: ConcurrencyAsk) => {
                if (concurrencyOk(judgeConcurrency(f, a))) return;
                const fixes = concurrencyFixes(f, a);
                for (const fix of fixes) {
                    const next = { ...a, ...fix };
                    assert.ok(concurrencyOk(judgeConcurrency(f, next)), JSON.stringify({ f, a, fix }));
                    assert.ok(next.concurrency >= 2 && next.concurrency <= a.concurrency, "never more workers than asked");
                }
                // The smallest passing config: two workers, unreserved, needs three unreserved executions.
                if (f.unreserved + f.current >= 3) assert.ok(fixes.length > 0, JSON.stringify({ f, a }));
            }),
            { numRuns: 2000 },
        );
    });
});

describe("doctor: which trail selectors log write management events", () => {
    it("basic selectors: default, All and WriteOnly do; ReadOnly or excluded management events do not", () => {
        assert.equal(logsWriteManagementEvents({}), false);
        assert.equal(logsWriteManagementEvents({ EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }] }), true);
        assert.equal(logsWriteManagementEvents({ EventSelectors: [{ ReadWriteType: "WriteOnly" }] }), true);
        assert.equal(logsWriteManagementEvents({ EventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }] }), false);
        assert.equal(logsWriteManagementEvents({ EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false }] }), false);
    });

    it("advanced selectors: eventCategory Management, unless readOnly is only true", () => {
        const mgmt = { Field: "eventCategory", Equals: ["Management"] };
        assert.equal(logsWriteManagementEvents({ AdvancedEventSelectors: [{ FieldSelectors: [mgmt] }] }), true);
        assert.equal(
            logsWriteManagementEvents({ AdvancedEventSelectors: [{ FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["false"] }] }] }),
            true,
        );
        assert.equal(
            logsWriteManagementEvents({ AdvancedEventSelectors: [{ FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["true"] }] }] }),
            false,
        );
        assert.equal(
            logsWriteManagementEvents({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }] }] }),
            false,
        );
    });
});

describe("doctor: a failed call becomes a cannot-check line that says what to do", () => {
    it("access denied names the action to allow, whatever the service calls it", () => {
        for (const [code, status] of [
            ["AccessDenied", 403],
            ["AccessDeniedException", 400],
            ["OrganizationAccessDeniedException", 400],
        ] as const) {
            const out = outcomeOfError(new CallFailed("organizations:ListRoots", sdkError(code, status)), CTX);
            assert.equal(out.status, "cannot-check");
            assert.match(out.detail, new RegExp(`access denied to organizations:ListRoots \\(${code}\\)`));
            assert.match(out.fix ?? "", /allow organizations:ListRoots/);
        }
    });

    it("unreachable and timed-out endpoints name the endpoint variable when one is set", () => {
        const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        const out = outcomeOfError(new CallFailed("lambda:GetAccountSettings", refused), {
            ...CTX,
            env: { AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9" },
        });
        assert.equal(
            out.detail,
            "cannot reach AWS for lambda:GetAccountSettings at http://127.0.0.1:9 (AWS_ENDPOINT_URL_LAMBDA) (ECONNREFUSED)",
        );
        const late = outcomeOfError(new DeadlineError("x"), { ...CTX, timeoutSeconds: 5 }, "config:DescribeConfigRules");
        assert.equal(late.detail, "did not finish within the 5 s deadline (waiting for config:DescribeConfigRules)");
        assert.match(late.fix ?? "", /--timeout/);
    });

    it("credentials problems and anything else", () => {
        assert.match(
            outcomeOfError(new CallFailed("sts:GetCallerIdentity", sdkError("ExpiredToken", 403)), CTX).detail,
            /rejected the credentials .*ExpiredToken/,
        );
        const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        assert.match(outcomeOfError(new CallFailed("sts:GetCallerIdentity", missing), CTX).fix ?? "", /AWS_PROFILE/);
        assert.match(
            outcomeOfError(new CallFailed("config:DescribeConfigRules", sdkError("InvalidParameterValueException", 400)), CTX).detail,
            /config:DescribeConfigRules failed: InvalidParameterValueException/,
        );
    });
});

describe("doctor: its SDK clients", () => {
    it("announce a request AWS leaves unanswered, and a failure names the endpoint it went to", async () => {
        const silent = await silentServer();
        const slow: string[] = [];
        try {
            const err = await withAwsEnv(
                { AWS_ENDPOINT_URL_STS: silent.url, AWS_ACCESS_KEY_ID: "test-access-key-id", AWS_SECRET_ACCESS_KEY: "test-secret" },
                async () => {
                    const clients = sdkClients({
                        region: "eu-west-1",
                        connectionTimeoutMs: 1000,
                        requestTimeoutMs: 1000,
                        maxAttempts: 1,
                        observer: { slowAfterMs: 200, onSlow: (c) => slow.push(`${c.operation} ${c.endpoint}`) },
                    });
                    try {
                        return await clients
                            .sts()
                            .send(new GetCallerIdentityCommand({}))
                            .then(
                                () => undefined,
                                (e: unknown) => e,
                            );
                    } finally {
                        clients.destroy();
                    }
                },
            );
            assert.deepEqual(slow, [`GetCallerIdentity ${silent.url}`]);
            assert.equal(endpointOf(err), silent.url);
            // No AWS_ENDPOINT_URL_* in the context: the line names where the request went.
            const out = outcomeOfError(new CallFailed("sts:GetCallerIdentity", err), CTX);
            assert.match(out.detail, new RegExp(`^sts:GetCallerIdentity timed out at ${silent.url} \\(`));
        } finally {
            await silent.close();
        }
    });
});

describe("doctor: reading the stack", () => {
    function project(files: Record<string, string>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-doctor-"));
        fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        return dir;
    }

    it("reads Pulumi.yaml defaults, the stack file and --config, and validates with stacks/config.ts", () => {
        const dir = project({
            "Pulumi.prod.yaml": "config:\n  aws:region: eu-central-1\n  aws:profile: audit\n  rootguard:mode: organization\n",
        });
        const stack = readDoctorStack(dir, { config: ["reservedConcurrency=0"] }, {});
        assert.equal(stack.stack, "prod");
        assert.equal(stack.config.mode, "organization");
        assert.equal(stack.config.region, "eu-central-1");
        assert.equal(stack.config.reservedConcurrency, 0);
        assert.equal(stack.config.frequency, "TwentyFour_Hours", "Pulumi.yaml default");
        assert.equal(stack.profile, "audit");
    });

    it("createRecorder may be unset (the config-recorder check says which value): every other key is still validated", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n" });
        assert.equal(readDoctorStack(dir, { config: [] }, {}).config.createRecorder, undefined);
        assert.equal(readDoctorStack(dir, { config: ["createRecorder="] }, {}).config.createRecorder, undefined, "empty is unset");
        assert.equal(readDoctorStack(dir, { config: ["createRecorder=true"] }, {}).config.createRecorder, true);
        assert.equal(readDoctorStack(dir, { config: ["createRecorder=false"] }, {}).config.createRecorder, false);
        assert.throws(
            () => readDoctorStack(dir, { config: ["createRecorder=yes"] }, {}),
            (err: unknown) => err instanceof UserError && /rootguard:createRecorder must be true or false/.test(err.message),
        );
        assert.throws(
            () => readDoctorStack(dir, { config: ["concurrency=1"] }, {}),
            (err: unknown) => err instanceof UserError && /rootguard:concurrency must be an integer from 2/.test(err.message),
        );
    });

    it("a region that cannot host the access key rule stops doctor with the stack's message and the regions that can", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  aws:region: il-central-1\n" });
        assert.throws(
            () => readDoctorStack(dir, { config: [] }, {}),
            (err: unknown) =>
                err instanceof UserError &&
                /^aws:region il-central-1 cannot host rootguard's rules: .*such as us-east-1, .*\(stack dev\)$/.test(err.message),
        );
    });

    it("what the stack decides for the user and warns about is a note: the MFA rule no GovCloud region offers", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  aws:region: us-gov-west-1\n" });
        const stack = readDoctorStack(dir, { config: [] }, {});
        assert.equal(stack.config.rootMfaRule, false);
        assert.match(
            stack.notes.join("\n"),
            /^pulumi up will warn: rootguard:rootMfaRule is true, but .*us-gov-west-1.*: the rule is skipped/m,
        );
        assert.deepEqual(readDoctorStack(dir, { config: ["rootMfaRule=false"] }, {}).notes, []);
    });

    it("a bad value is one UserError naming the key, as pulumi up would stop", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  rootguard:frequency: Hourly\n" });
        assert.throws(
            () => readDoctorStack(dir, { config: [] }, {}),
            (err: unknown) => err instanceof UserError && /rootguard:frequency must be one of/.test(err.message),
        );
    });

    it("the region comes from aws:region, else AWS_REGION, else it is an error", () => {
        const dir = project({});
        const named = { stack: "dev", allowMissingStackFile: true, config: [] };
        assert.equal(readDoctorStack(dir, named, { AWS_REGION: "ap-south-1" }).config.region, "ap-south-1");
        assert.throws(() => readDoctorStack(dir, named, {}), /aws:region must be set/);
    });

    it("chooses the stack as the preview and Pulumi do: one stack file, or --stack; none or several is an error", () => {
        const none = project({});
        assert.throws(
            () => readDoctorStack(none, { config: [] }, { AWS_REGION: "eu-west-1" }),
            (err: unknown) => err instanceof UserError && /has no Pulumi\.<stack>\.yaml.*--allow-missing-stack-file/.test(err.message),
        );
        assert.throws(
            () => readDoctorStack(none, { stack: "dev", config: [] }, { AWS_REGION: "eu-west-1" }),
            (err: unknown) => err instanceof UserError && /--allow-missing-stack-file/.test(err.message),
        );
        const missing = readDoctorStack(none, { stack: "dev", allowMissingStackFile: true, config: [] }, { AWS_REGION: "eu-west-1" });
        assert.deepEqual(
            [missing.stack, missing.file, missing.notes],
            ["dev", undefined, ["stack dev has no Pulumi.dev.yaml: checking Pulumi.yaml's defaults"]],
        );
        const two = project({
            "Pulumi.a.yaml": "config:\n  aws:region: eu-west-1\n",
            "Pulumi.b.yaml": "config:\n  aws:region: us-east-1\n",
        });
        assert.throws(
            () => readDoctorStack(two, { config: [] }, {}),
            (err: unknown) =>
                err instanceof UserError &&
                /has 2 stacks: a \(Pulumi\.a\.yaml\), b \(Pulumi\.b\.yaml\); choose one with --stack NAME/.test(err.message),
        );
        assert.equal(readDoctorStack(two, { stack: "b", config: [] }, {}).config.region, "us-east-1");
    });

    it("a secure value cannot be read offline; provider credentials doctor does not use are noted", () => {
        const secure = project({
            "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  rootguard:alertKmsKeyId:\n    secure: AAABAHh0\n",
        });
        assert.throws(
            () => readDoctorStack(secure, { config: [] }, {}),
            /rootguard:alertKmsKeyId is a secret .* --config alertKmsKeyId=VALUE/,
        );
        const assumed = project({
            "Pulumi.dev.yaml":
                'config:\n  aws:region: eu-west-1\n  aws:assumeRoles:\n    - roleArn: "arn:aws:iam::111111111111:role/Deploy"\n',
        });
        assert.match(readDoctorStack(assumed, { config: [] }, {}).notes.join("\n"), /the stack sets aws:assumeRoles: pulumi up uses those/);
    });
});

describe("doctor: output and exit code", () => {
    function report(statuses: string[], stopped: string | null = null): DoctorReport {
        const checks = statuses.map((status, i) => ({
            id: `c${i}`,
            title: "t",
            status: status as "pass",
            detail: `d${i}`,
            ...(status !== "pass" ? { fix: `f${i}` } : {}),
        }));
        return {
            version: 1,
            stack: "dev",
            stackFile: "/x/Pulumi.dev.yaml",
            mode: "account",
            region: "eu-west-1",
            caller: null,
            checks,
            notNeeded: [],
            notes: [],
            stopped,
            summary: {
                pass: statuses.filter((s) => s === "pass").length,
                fail: statuses.filter((s) => s === "fail").length,
                cannotCheck: statuses.filter((s) => s === "cannot-check").length,
            },
        };
    }

    it("0 when all pass, 1 when any fails, else 2 when any cannot be checked or doctor stopped", () => {
        assert.equal(doctorExitCode(report(["pass", "pass"])), 0);
        assert.equal(doctorExitCode(report(["pass", "fail", "cannot-check"])), 1);
        assert.equal(doctorExitCode(report(["pass", "cannot-check"])), 2);
        assert.equal(doctorExitCode(report(["cannot-check"], "no identity")), 2);
    });

    it("one line per check, with the fix on the same line", () => {
        const text = renderText(report(["pass", "fail"]));
        assert.match(text, /^pass {10}c0 {18}d0$/m);
        assert.match(text, /^fail {10}c1 {18}d1 — fix: f1$/m);
        assert.match(text, /^doctor: 1 pass · 1 fail · 0 cannot-check \(exit 1\)$/m);
        assert.match(text, /stack dev \(Pulumi\.dev\.yaml\)/);
    });
});
