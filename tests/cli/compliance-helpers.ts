/** Shared pieces for the compliance tests: fake streams, sample reports, AWS-shaped errors. */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { STSClient } from "@aws-sdk/client-sts";
import type { ComplianceDeps } from "../../src/cli/compliance/command";
import {
    buildReport,
    COMPLIANCE_TYPES,
    type ComplianceReport,
    type ComplianceType,
    type Evaluation,
} from "../../src/cli/compliance/report-model";

export class Capture {
    text = "";
    constructor(readonly isTTY = false) {}
    write(s: string): boolean {
        this.text += s;
        return true;
    }
}

export function testDeps(overrides: Partial<ComplianceDeps> = {}): ComplianceDeps & { stdout: Capture; stderr: Capture } {
    return {
        configClient: (region) => new ConfigServiceClient({ region: region ?? "eu-west-1", credentials: FAKE_CREDENTIALS }),
        stsClient: (region) => new STSClient({ region: region ?? "eu-west-1", credentials: FAKE_CREDENTIALS }),
        stdout: new Capture(),
        stderr: new Capture(),
        env: {},
        now: () => new Date("2026-11-22T23:30:00Z"),
        ...overrides,
    } as ComplianceDeps & { stdout: Capture; stderr: Capture };
}

// Obviously fake, and not key-shaped: nothing here may look like a real credential.
export const FAKE_CREDENTIALS = { accessKeyId: "test-access-key", secretAccessKey: "test-secret" };

/** An error as the SDK throws it for a service exception. */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
    return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode } });
}

export function accountId(i: number): string {
    return String(100000000000 + i);
}

const RULES = ["iam-root-access-key-check", "root-account-mfa-enabled"];

/**
 * A deterministic organization: `accounts` accounts × two rules, statuses spread over all four types
 * (every 7th account non-compliant on the key rule, every 11th without data, ...).
 */
export function sampleReport(accounts: number, opts: { withInventory?: boolean } = {}): ComplianceReport {
    const evaluations: Evaluation[] = [];
    for (let i = 1; i <= accounts; i++) {
        const id = accountId(i);
        const region = i % 3 === 0 ? "eu-west-1" : "us-east-1";
        const keyStatus: ComplianceType =
            i % 7 === 0 ? "NON_COMPLIANT" : i % 11 === 0 ? "INSUFFICIENT_DATA" : i % 2 === 0 ? "NOT_APPLICABLE" : "COMPLIANT";
        const mfaStatus: ComplianceType = i % 5 === 0 ? "NON_COMPLIANT" : "COMPLIANT";
        const when = new Date(Date.UTC(2026, 10, 22, i % 24, i % 60)).toISOString();
        evaluations.push({
            accountId: id,
            region,
            rule: RULES[0],
            configRuleName: `OrgConfigRule-${RULES[0]}-ab12cd34`,
            compliance: keyStatus,
            lastEvaluated: keyStatus === "INSUFFICIENT_DATA" ? null : when,
        });
        evaluations.push({
            accountId: id,
            region,
            rule: RULES[1],
            configRuleName: `OrgConfigRule-${RULES[1]}-ef56gh78`,
            compliance: mfaStatus,
            lastEvaluated: when,
        });
    }
    // Every account inventoried; keys only where the key rule is non-compliant (as Config would report).
    const inventory = opts.withInventory
        ? evaluations
              .filter((e) => e.rule === RULES[0])
              .map((e) => ({
                  accountId: e.accountId,
                  method: "assume-root" as const,
                  keys:
                      e.compliance === "NON_COMPLIANT"
                          ? [
                                {
                                    keyId: "AKIA****WXYZ",
                                    status: "Active",
                                    created: "2024-01-02T03:04:05.000Z",
                                    lastUsed: "2026-10-01T00:00:00.000Z",
                                    lastUsedService: "s3",
                                    lastUsedRegion: "us-east-1",
                                },
                            ]
                          : [],
              }))
              .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
        : undefined;
    return buildReport({
        generatedAt: new Date("2026-11-22T23:30:00Z"),
        source: { mode: "organization", aggregator: "rootguard-org", region: "us-east-1" },
        rules: RULES,
        evaluations,
        inventory,
    });
}

export function countByStatus(report: ComplianceReport): Record<ComplianceType, number> {
    const out = Object.fromEntries(COMPLIANCE_TYPES.map((t) => [t, 0])) as Record<ComplianceType, number>;
    for (const e of report.evaluations) out[e.compliance]++;
    return out;
}

/** Rejects unless `promise` rejects; returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected a rejection");
}
