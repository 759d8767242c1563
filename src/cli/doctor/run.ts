/**
 * Runs the checks the config needs against AWS: the caller first (everything else depends on its account and
 * partition), then the rest concurrently. One overall deadline bounds the run: a check still waiting when it
 * passes becomes cannot-check naming the call it waited for, and its request is aborted.
 */
import { withDeadline } from "../../aws/client-config";
import type { CallerIdentity, Check, CheckContext, OrganizationFacts } from "./check";
import { CALLER_CHECK, CHECKS, readCaller } from "./checks";
import { describeOrganization } from "./checks/organization";
import type { DoctorClients } from "./clients";
import { CallFailed, outcomeOfError, type Outcome } from "./result";
import type { DoctorStack } from "./stack";

export interface CheckResult extends Outcome {
    id: string;
    title: string;
}

export interface DoctorReport {
    version: 1;
    stack: string;
    stackFile: string | null;
    mode: string;
    region: string;
    caller: CallerIdentity | null;
    checks: CheckResult[];
    notNeeded: { id: string; reason: string }[];
    notes: string[];
    /** Why doctor could not go past the caller check; null when every needed check ran. */
    stopped: string | null;
    summary: { pass: number; fail: number; cannotCheck: number };
}

export interface RunOptions {
    timeoutMs: number;
    env: NodeJS.ProcessEnv;
    now?: () => number;
    /** Only these checks (tests); default: every check. */
    checks?: readonly Check[];
}

type Call = CheckContext["call"];

export async function runDoctor(stack: DoctorStack, clients: DoctorClients, opts: RunOptions): Promise<DoctorReport> {
    const now = opts.now ?? Date.now;
    const deadline = now() + opts.timeoutMs;
    const { config } = stack;
    const errors = { region: config.region, env: opts.env, timeoutSeconds: Math.round(opts.timeoutMs / 1000) };

    /** One check under the overall deadline; whatever it throws becomes its cannot-check line. */
    async function run(id: string, title: string, body: (call: Call) => Promise<Outcome>): Promise<CheckResult> {
        let waitingFor: string | undefined;
        try {
            const outcome = await withDeadline(Math.max(0, deadline - now()), id, (signal) =>
                body(async (action, send) => {
                    waitingFor = action;
                    try {
                        return await send(signal);
                    } catch (err) {
                        throw new CallFailed(action, err);
                    }
                }),
            );
            return { id, title, ...outcome, ...(outcome.fix ? { fix: forStack(outcome.fix, stack) } : {}) };
        } catch (err) {
            return { id, title, ...outcomeOfError(err, errors, waitingFor) };
        }
    }

    let identity: CallerIdentity | undefined;
    const callerResult = await run(CALLER_CHECK.id, CALLER_CHECK.title, async (call) => {
        const read = await readCaller({ call, clients });
        identity = read.identity;
        return read.outcome;
    });

    const selected = opts.checks ?? CHECKS;
    const needed = selected.filter((c) => c.notNeeded(config) === undefined);
    const notNeeded = selected
        .filter((c) => c.notNeeded(config) !== undefined)
        .map((c) => ({ id: c.id, reason: c.notNeeded(config) ?? "" }));

    const checks: CheckResult[] = [callerResult];
    let stopped: string | null = null;
    if (identity === undefined) {
        stopped = "without the caller's identity no other check can be judged";
    } else {
        const caller = identity;
        // DescribeOrganization is read once and shared by every organization check.
        let organization: Promise<OrganizationFacts | null> | undefined;
        const results = await Promise.all(
            needed.map((check) =>
                run(check.id, check.title, (call) =>
                    check.run({
                        config,
                        region: config.region,
                        identity: caller,
                        clients,
                        call,
                        organization: () =>
                            call(
                                "organizations:DescribeOrganization",
                                (signal) => (organization ??= describeOrganization(clients, signal)),
                            ),
                    }),
                ),
            ),
        );
        checks.push(...results);
    }

    return {
        version: 1,
        stack: stack.stack,
        stackFile: stack.file ?? null,
        mode: config.mode,
        region: config.region,
        caller: identity ?? null,
        checks,
        notNeeded,
        notes: stack.notes,
        stopped,
        summary: {
            pass: checks.filter((c) => c.status === "pass").length,
            fail: checks.filter((c) => c.status === "fail").length,
            cannotCheck: checks.filter((c) => c.status === "cannot-check").length,
        },
    };
}

/** Config fixes name the stack when it has a file, so they can be pasted whichever stack is selected. */
function forStack(fix: string, stack: DoctorStack): string {
    return stack.file ? fix.replace(/pulumi config set /g, `pulumi config set --stack ${stack.stack} `) : fix;
}

/** 0: every check passed · 1: a check failed · 2: doctor could not run or could not decide a check. */
export function doctorExitCode(report: DoctorReport): number {
    if (report.summary.fail > 0) return 1;
    if (report.stopped !== null || report.summary.cannotCheck > 0) return 2;
    return 0;
}
