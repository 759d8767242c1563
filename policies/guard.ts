/**
 * Every validation runs inside a guard. A policy that throws fails the whole Analyze call and blocks the
 * deployment for the wrong reason; instead an unexpected error becomes an advisory note with anything
 * credential-shaped scrubbed out. The SDK's own control-flow errors (unknown during preview,
 * notApplicable) pass through untouched so the engine reports them as it always does.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidation, StackValidationArgs } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { redactCredentials } from "../src/core/access-keys";

export interface Violation {
    message: string;
    /** Stack policies: the resource the violation is about. */
    urn?: string;
    /** Report as advisory whatever the policy's level (unverifiable results, internal errors). */
    advisory?: boolean;
}

export type Report = (violation: Violation) => void;

/** The object form `reportViolation` accepts at runtime (policy SDK 1.21) but does not declare. */
interface ViolationObject {
    message: string;
    urn?: string;
    enforcementLevel?: "advisory";
}

function reporter(reportViolation: ReportViolation): Report {
    return (v) => {
        // Last line of defence: nothing credential-shaped reaches the engine.
        const payload: ViolationObject = { message: redactCredentials(v.message) };
        if (v.urn !== undefined) payload.urn = v.urn;
        if (v.advisory) payload.enforcementLevel = "advisory";
        (reportViolation as unknown as (p: ViolationObject) => void)(payload);
    };
}

/**
 * Error name and message with quoted fragments removed: parsers quote a snippet of their input, and the
 * input may be part of a secret that is too short for redaction to recognise.
 */
function describeError(e: unknown): string {
    try {
        const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        return text.slice(0, 500).replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"');
    } catch {
        return "unprintable error";
    }
}

function internalError(policyName: string, e: unknown): Violation {
    return {
        message:
            `rootguard could not finish '${policyName}' (${describeError(e)}). ` +
            "This is a bug in the policy pack, not a finding; please report it with the resource type.",
        advisory: true,
    };
}

/** Wraps a validation so it reports instead of throwing; `notApplicable` and unknown reads pass through. */
function guard<A extends { notApplicable: (reason?: string) => never }>(
    policyName: string,
    validate: (args: A, report: Report) => void | Promise<void>,
): (args: A, reportViolation: ReportViolation) => Promise<void> {
    return async (args, reportViolation) => {
        const report = reporter(reportViolation);
        let notApplicableCalled = false;
        const guarded: A = Object.create(args) as A;
        guarded.notApplicable = (reason?: string): never => {
            notApplicableCalled = true;
            return args.notApplicable(reason);
        };
        try {
            await validate(guarded, report);
        } catch (e) {
            if (notApplicableCalled || e instanceof UnknownValueError) throw e;
            report(internalError(policyName, e));
        }
    };
}

export function guardResource(
    policyName: string,
    validate: (args: ResourceValidationArgs, report: Report) => void | Promise<void>,
): ResourceValidation {
    return guard(policyName, validate);
}

export function guardStack(
    policyName: string,
    validate: (args: StackValidationArgs, report: Report) => void | Promise<void>,
): StackValidation {
    return guard(policyName, validate);
}
