import type { Diagnostic } from "../../engine";
import type { ResourceRecord } from "./records";
import type { Verdict } from "./evaluate";
import { redactStrings } from "../redact";

export interface JsonReport {
    stack: string;
    policyPack: { name: string; version: string };
    resources: { urn: string; type: string; name: string }[];
    violations: { policy: string; enforcementLevel: string; urn?: string; message: string }[];
    summary: { resources: number; mandatory: number; advisory: number };
}

export function countLevel(diagnostics: Diagnostic[], level: string): number {
    return diagnostics.filter((d) => d.enforcementLevel === level).length;
}

/**
 * The `--json` document; key order fixed so it diffs cleanly in pull requests. Every string is redacted as the
 * text report redacts it (src/cli/redact.ts says why it happens value by value).
 */
export function jsonReport(stack: string, records: ResourceRecord[], verdict: Verdict): JsonReport {
    return redactStrings({
        stack,
        policyPack: { name: verdict.pack.name, version: verdict.pack.version },
        resources: records.map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
        violations: verdict.diagnostics.map((d) => ({
            policy: d.policyName,
            enforcementLevel: d.enforcementLevel,
            // Stack-level violations carry no urn: the key is absent, not null.
            ...(d.urn ? { urn: d.urn } : {}),
            message: d.message || d.description,
        })),
        summary: {
            resources: records.length,
            mandatory: countLevel(verdict.diagnostics, "mandatory"),
            advisory: countLevel(verdict.diagnostics, "advisory"),
        },
    });
}
