/** What reaches a terminal: one colour rule for every command, and no control characters from data. */

export interface TerminalStream {
    isTTY?: boolean;
}

/**
 * Colour on `stream`, the same rule for every command: NO_COLOR set to anything non-empty turns it off
 * (no-color.org); FORCE_COLOR turns it on even in a pipe (CI logs that render ANSI), or off when it is "0" or
 * "false" (as supports-color reads it); otherwise colour only on a terminal that is not TERM=dumb.
 */
export function shouldColor(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.NO_COLOR) return false;
    const force = env.FORCE_COLOR;
    if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
    return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/** Redraws (carriage return, erase line) only make sense on a real terminal that understands them. */
export function canRedraw(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): boolean {
    return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/**
 * Values from AWS, from files the user names and from programs reach a terminal: control characters (escape
 * sequences that retitle the window, move the cursor, hide text) become U+FFFD; so do tabs and newlines, which
 * would break a table's columns or a one-line error.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
    return text.replace(CONTROL, "\ufffd");
}
