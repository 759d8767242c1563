import { strict as assert } from "node:assert";
import { AssumeRootError } from "../../src/remediator/assume-root";
import { parseCsv, rootKeysFromReport } from "../../src/remediator/credential-report";
import { classifyError, isNoSuchEntity } from "../../src/remediator/errors";

const err = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("remediator error classification", () => {
    const cases: [unknown, string][] = [
        [err("AccessDenied", "User x is not authorized to perform: sts:AssumeRoot"), "access-denied"],
        [err("AccessDeniedException", "nope"), "access-denied"],
        [err("AccessDenied", "Centralized root access is not enabled for your organization"), "feature-not-enabled"],
        [err("ValidationError", "RootSessions feature is not enabled"), "feature-not-enabled"],
        [err("AccessDenied", "RootCredentialsManagement is disabled"), "feature-not-enabled"],
        [err("AccessDenied", "Caller is not the management account or a delegated administrator"), "not-management-or-delegated-admin"],
        [err("RegionDisabledException", "STS is not activated"), "region-disabled"],
        [err("Throttling", "Rate exceeded"), "throttled"],
        [err("TooManyRequestsException", "slow down"), "throttled"],
        [err("SomethingElse", "odd"), "unknown"],
        ["plain string", "unknown"],
    ];
    for (const [e, kind] of cases) {
        it(`${(e as Error).name ?? "string"}: ${(e as Error).message ?? e} → ${kind}`, () => {
            const c = classifyError(e);
            assert.equal(c.kind, kind);
            assert.ok(c.whatToDo.length > 20);
        });
    }
    it("unwraps AssumeRoot failures and names the task", () => {
        const c = classifyError(new AssumeRootError("IAMDeleteRootUserCredentials", err("AccessDenied", "denied")));
        assert.equal(c.operation, "AssumeRoot IAMDeleteRootUserCredentials");
        assert.match(c.whatToDo, /sts:TaskPolicyArn/);
    });
    it("recognizes NoSuchEntity by name or code", () => {
        assert.ok(isNoSuchEntity(err("NoSuchEntityException", "gone")));
        assert.ok(isNoSuchEntity({ Code: "NoSuchEntity" }));
        assert.ok(!isNoSuchEntity(err("AccessDenied", "x")));
    });
});

describe("remediator credential report parsing", () => {
    it("parses quoted CSV and CRLF", () => {
        assert.deepEqual(parseCsv('a,b\r\n"x,1","say ""hi"""\r\n'), [{ a: "x,1", b: 'say "hi"' }]);
        assert.deepEqual(parseCsv(""), []);
    });
    it("reads both key slots of the <root_account> row, inactive ones included, and skips empty slots", () => {
        const rows: Record<string, string>[] = [
            { user: "alice", access_key_1_active: "true", access_key_1_last_rotated: "2025-01-01T00:00:00+00:00" },
            {
                user: "<root_account>",
                access_key_1_active: "false",
                access_key_1_last_rotated: "2024-02-03T04:05:06+00:00",
                access_key_1_last_used_date: "N/A",
                access_key_1_last_used_region: "N/A",
                access_key_1_last_used_service: "N/A",
                access_key_2_active: "true",
                access_key_2_last_rotated: "2025-01-01T00:00:00+00:00",
                access_key_2_last_used_date: "2026-11-01T00:00:00+00:00",
                access_key_2_last_used_region: "eu-west-1",
                access_key_2_last_used_service: "sts",
            },
        ];
        const { found, keys } = rootKeysFromReport(rows);
        assert.ok(found);
        assert.deepEqual(keys, [
            {
                maskedKeyId: "access key 1",
                slot: 1,
                status: "Inactive",
                created: "2024-02-03T04:05:06.000Z",
                lastUsed: { date: undefined, service: undefined, region: undefined },
            },
            {
                maskedKeyId: "access key 2",
                slot: 2,
                status: "Active",
                created: "2025-01-01T00:00:00.000Z",
                lastUsed: { date: "2026-11-01T00:00:00.000Z", service: "sts", region: "eu-west-1" },
            },
        ]);
        assert.deepEqual(
            rootKeysFromReport([{ user: "<root_account>", access_key_1_active: "false", access_key_1_last_rotated: "N/A" }]).keys,
            [],
        );
        assert.equal(rootKeysFromReport([]).found, false);
    });
});
