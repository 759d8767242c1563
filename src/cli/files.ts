/**
 * Files the user names on the command line (a stack export, a saved report, a pack config). Every failure
 * is one line that says which file and what is wrong with it, and never echoes the file's bytes: a binary
 * file's control characters would reach the terminal, and a JSON parser's message quotes the input.
 */
import * as fs from "fs";
import { UserError } from "./errors";

/** What the file is, for messages: "stack export", "policy pack config", "report". */
export function fileProblem(err: unknown): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case "ENOENT":
            return "no such file";
        case "EISDIR":
            return "it is a directory, not a file";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ENOTDIR":
            return "a parent of it is not a directory";
        default:
            return code ?? (err instanceof Error ? err.message.split("\n")[0] : String(err));
    }
}

/** The file's text; UserError when it cannot be read or is not text (NUL bytes, invalid UTF-8). */
export function readTextFile(file: string, what: string): string {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (err) {
        throw new UserError(`cannot read ${what} ${file}: ${fileProblem(err)}`);
    }
    let text: string | undefined;
    try {
        // Decoded once, strictly: a byte sequence that is not UTF-8 is binary, not text to guess at.
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        text = undefined;
    }
    if (text === undefined || text.includes("\0")) throw new UserError(`${what} ${file} is not a text file (it holds binary data)`);
    return text;
}

/**
 * `text` parsed as JSON; UserError naming the line and column of the first syntax error. The parser's own
 * message is not used: newer Node versions quote the input in it.
 */
export function parseJsonText(text: string, file: string, what: string, hint = ""): unknown {
    try {
        return JSON.parse(text);
    } catch (err) {
        const at = syntaxErrorPosition(text, err);
        const where = at === undefined ? "" : ` (line ${at.line}, column ${at.column})`;
        throw new UserError(`${what} ${file} is not valid JSON${where}${hint ? `: ${hint}` : ""}`);
    }
}

/** Where JSON.parse stopped: Node's messages name no position (newer ones quote the input instead). */
function syntaxErrorPosition(text: string, err: unknown): { line: number; column: number } | undefined {
    if (!(err instanceof SyntaxError)) return undefined;
    const offset = firstJsonError(text);
    return offset === undefined ? undefined : lineColumn(text, offset);
}

/** The offset of the first JSON syntax error in `text` (a small recursive-descent check), if there is one. */
export function firstJsonError(text: string): number | undefined {
    let i = 0;
    const space = (): void => {
        while (i < text.length && " \t\n\r".includes(text[i])) i++;
    };
    const fail = (): never => {
        throw i;
    };
    const literal = (word: string): void => {
        if (text.startsWith(word, i)) i += word.length;
        else fail();
    };
    const string = (): void => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text.charCodeAt(i) < 0x20) fail();
            if (text[i] === "\\") {
                i++;
                if (text[i] === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
                    i += 4;
                } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
            }
            i++;
        }
        if (i >= text.length) fail();
        i++;
    };
    const number = (): void => {
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
        if (!m || m[0] === "" || m[0] === "-") fail();
        i += m![0].length;
    };
    const value = (depth: number): void => {
        space();
        const c = text[i];
        if (c === "{" || c === "[") {
            const close = c === "{" ? "}" : "]";
            i++;
            space();
            if (text[i] === close) {
                i++;
                return;
            }
            for (;;) {
                if (c === "{") {
                    space();
                    if (text[i] !== '"') fail();
                    string();
                    space();
                    if (text[i] !== ":") fail();
                    i++;
                }
                value(depth + 1);
                space();
                if (text[i] === ",") i++;
                else if (text[i] === close) {
                    i++;
                    return;
                } else fail();
            }
        } else if (c === '"') string();
        else if (c === "t") literal("true");
        else if (c === "f") literal("false");
        else if (c === "n") literal("null");
        else number();
    };
    try {
        value(0);
        space();
        return i < text.length ? i : undefined;
    } catch (at) {
        return typeof at === "number" ? at : undefined;
    }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}
