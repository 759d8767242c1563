import { redactCredentials } from "../core/access-keys";
import { printable } from "./terminal";

/** An error the user can act on: printed as one line, exit code 2. */
export class UserError extends Error {
    readonly exitCode = 2;
}

/**
 * The line printed for any error: its first line, redacted, with control characters replaced (a message can
 * quote a file's bytes or a server's answer), after the `rootguard: ` prefix every error carries.
 */
export function errorLine(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const first = message.split("\n").find((l) => l.trim() !== "") ?? (err instanceof Error ? err.name : "unknown error");
    return `rootguard: ${printable(redactCredentials(first.trim()))}\n`;
}
