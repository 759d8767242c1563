/**
 * The real SDK clients the command builds (no client mock): the standard credential chain and
 * AWS_ENDPOINT_URL_* decide where requests go. A loopback server plays AWS Config (JSON 1.1) and STS (query).
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { defaultDeps, runCompliance } from "../../src/cli/compliance/command";
import { UserError } from "../../src/cli/errors";
import { identityXml } from "../fixtures/loopback-sts";
import { Capture, rejection } from "./compliance-helpers";

const ACCOUNT = "210987654321";

interface Seen {
    target: string;
    body: any;
    authorization: string;
}

async function startLoopbackAws(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
        let raw = "";
        req.setEncoding("utf8");
        req.on("data", (c: string) => (raw += c));
        req.on("end", () => {
            const target = String(req.headers["x-amz-target"] ?? "");
            const authorization = String(req.headers.authorization ?? "");
            if (!target) {
                // STS query protocol.
                const action = new URLSearchParams(raw).get("Action") ?? "";
                seen.push({ target: `sts:${action}`, body: raw, authorization });
                res.writeHead(200, { "content-type": "text/xml" });
                res.end(identityXml(`arn:aws:iam::${ACCOUNT}:user/auditor`, ACCOUNT, "AIDAEXAMPLEUSERID0000"));
                return;
            }
            const body = raw ? JSON.parse(raw) : {};
            seen.push({ target, body, authorization });
            res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
            if (target.endsWith(".DescribeComplianceByConfigRule")) {
                const name = body.ConfigRuleNames[0];
                res.end(
                    JSON.stringify({
                        ComplianceByConfigRules: [{ ConfigRuleName: name, Compliance: { ComplianceType: "NON_COMPLIANT" } }],
                    }),
                );
            } else if (target.endsWith(".GetComplianceDetailsByConfigRule")) {
                res.end(
                    JSON.stringify({
                        EvaluationResults: [
                            {
                                EvaluationResultIdentifier: {
                                    EvaluationResultQualifier: {
                                        ConfigRuleName: body.ConfigRuleName,
                                        ResourceType: "AWS::::Account",
                                        ResourceId: ACCOUNT,
                                    },
                                },
                                ComplianceType: "NON_COMPLIANT",
                                ResultRecordedTime: 1763800000,
                            },
                        ],
                    }),
                );
            } else {
                res.writeHead(400);
                res.end(JSON.stringify({ __type: "InvalidAction", message: target }));
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ENV_KEYS = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_CONFIG_SERVICE",
    "AWS_ENDPOINT_URL_STS",
];

describe("compliance: real SDK clients against a loopback AWS", () => {
    let aws: Awaited<ReturnType<typeof startLoopbackAws>>;
    const saved: Record<string, string | undefined> = {};

    before(async () => {
        aws = await startLoopbackAws();
    });
    after(async () => {
        await aws.close();
    });
    beforeEach(() => {
        for (const k of ENV_KEYS) {
            saved[k] = process.env[k];
            delete process.env[k];
        }
        // No stray profile or instance metadata from the machine running the tests.
        process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/rootguard-test-credentials";
        process.env.AWS_CONFIG_FILE = "/nonexistent/rootguard-test-config";
        process.env.AWS_EC2_METADATA_DISABLED = "true";
    });
    afterEach(() => {
        for (const k of ENV_KEYS) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });

    function deps() {
        const stdout = new Capture();
        return { ...defaultDeps(), stdout, stderr: new Capture(), env: {}, now: () => new Date("2026-11-22T23:30:00Z") };
    }

    it("honours AWS_ENDPOINT_URL_CONFIG_SERVICE / _STS and credentials from the environment", async () => {
        process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE = aws.url;
        process.env.AWS_ENDPOINT_URL_STS = aws.url;
        process.env.AWS_ACCESS_KEY_ID = "test-access-key-id";
        process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
        aws.seen.length = 0;
        const d = deps();
        const report = await runCompliance({ region: "eu-north-1", rule: ["iam-root-access-key-check"], json: true }, d);
        assert.deepEqual(
            aws.seen.map((s) => s.target),
            [
                "sts:GetCallerIdentity",
                "StarlingDoveService.DescribeComplianceByConfigRule",
                "StarlingDoveService.GetComplianceDetailsByConfigRule",
            ],
        );
        for (const s of aws.seen) assert.match(s.authorization, /Credential=test-access-key-id\/\d{8}\/eu-north-1\//);
        assert.deepEqual(aws.seen[2].body.ComplianceTypes, ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
        assert.deepEqual(report.source, { mode: "account", accountId: ACCOUNT, region: "eu-north-1" });
        assert.equal(report.evaluations[0].compliance, "NON_COMPLIANT");
        assert.equal(report.evaluations[0].lastEvaluated, new Date(1763800000 * 1000).toISOString());
    });

    it("with nothing in the credential chain: one actionable line, nothing sent", async () => {
        process.env.AWS_ENDPOINT_URL = aws.url;
        aws.seen.length = 0;
        const err = await rejection(runCompliance({ region: "eu-north-1" }, deps()));
        assert.ok(err instanceof UserError, String(err));
        assert.match(err.message, /^no AWS credentials found: set AWS_PROFILE/);
        assert.deepEqual(aws.seen, []);
    });

    it("with no region anywhere: one actionable line", async () => {
        process.env.AWS_ENDPOINT_URL = aws.url;
        process.env.AWS_ACCESS_KEY_ID = "test-access-key-id";
        process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
        const err = await rejection(runCompliance({}, deps()));
        assert.ok(err instanceof UserError, String(err));
        assert.equal(err.message, "no AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile)");
    });
});
