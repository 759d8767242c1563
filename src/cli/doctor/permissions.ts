/**
 * The IAM actions doctor calls, from each check's own declaration: docs/cli.md's table and policy are this
 * module's output (a test fails when they drift), and the fake-AWS suite checks no other action is called.
 */
import { CALLER_CHECK, CHECKS } from "./checks";

export function doctorPermissions(): { id: string; actions: readonly string[] }[] {
    return [CALLER_CHECK, ...CHECKS].filter((c) => c.permissions.length > 0).map((c) => ({ id: c.id, actions: c.permissions }));
}

/** The Markdown table of docs/cli.md: one row per check that calls AWS. */
export function permissionsTable(): string {
    const rows = doctorPermissions().map((c) => `| \`${c.id}\` | ${c.actions.map((a) => `\`${a}\``).join(", ")} |`);
    return ["| Check | Actions |", "| --- | --- |", ...rows].join("\n");
}

/** A least-privilege identity policy for running doctor (all read-only actions). */
export function permissionsPolicy(): string {
    const actions = [...new Set(doctorPermissions().flatMap((c) => c.actions))].sort();
    return JSON.stringify(
        { Version: "2012-10-17", Statement: [{ Sid: "RootguardDoctor", Effect: "Allow", Action: actions, Resource: "*" }] },
        null,
        2,
    );
}
