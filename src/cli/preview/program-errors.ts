import * as path from "path";
import { fileURLToPath } from "url";

/** A location in the program, relative to its folder; files outside it keep their absolute path. */
function shown(file: string, programDir: string): string {
    const abs = file.startsWith("file://") ? fileURLToPath(file) : path.resolve(file);
    const rel = path.relative(path.resolve(programDir), abs);
    return rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel;
}

/**
 * The first stack frame inside the user's program (not node_modules, not Node internals, not rootguard),
 * as `file:line:col` relative to the program folder: the line a user needs to look at.
 */
export function firstUserFrame(stack: string, programDir: string): string | undefined {
    const dir = path.resolve(programDir) + path.sep;
    // rootguard's own runner lives under the program folder when previewing rootguard itself.
    const own = path.resolve(__dirname) + path.sep;
    for (const line of stack.split("\n").slice(1)) {
        const m = /\(?((?:[A-Za-z]:)?[^():\s][^()]*?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (!m) continue;
        let file = m[1].replace(/^at\s+/, "");
        if (file.startsWith("file://")) file = fileURLToPath(file);
        if (!file.startsWith(dir) || file.startsWith(own) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
        return `${path.relative(dir, file)}:${m[2]}:${m[3]}`;
    }
    return undefined;
}

/**
 * ts-node's TSError carries the compiler's diagnostics as `file(line,col): error TSnnnn: text` lines, after a
 * "⨯ Unable to compile TypeScript:" headline that says nothing on its own. The first diagnostic, as
 * `file:line:col: error TSnnnn: text`.
 */
function typeScriptDiagnostic(err: { message?: unknown; diagnosticText?: unknown }, programDir: string): string | undefined {
    const text = typeof err.diagnosticText === "string" ? err.diagnosticText : typeof err.message === "string" ? err.message : "";
    for (const line of text.split("\n")) {
        const m = /^(.+?)\((\d+),(\d+)\): (.+)$/.exec(line.trim());
        if (m) return `${shown(m[1], programDir)}:${m[2]}:${m[3]}: ${m[4]}`;
    }
    return undefined;
}

/**
 * V8 puts a syntax error's place at the top of the stack, before the message: `file:line`, the source line, and
 * a caret under the offending token. As `file:line:col: SyntaxError: text`.
 */
function javaScriptSyntaxError(err: Error, programDir: string): string | undefined {
    const lines = (err.stack ?? "").split("\n");
    const head = /^(.+):(\d+)$/.exec(lines[0] ?? "");
    if (!head) return undefined;
    const caret = (lines[2] ?? "").indexOf("^");
    const col = caret >= 0 ? `:${caret + 1}` : "";
    return `${shown(head[1], programDir)}:${head[2]}${col}: SyntaxError: ${err.message}`;
}

/** A program's compile error as one located line, or undefined when the error is not one. */
export function syntaxErrorLine(err: unknown, programDir: string): string | undefined {
    if (!(err instanceof Error)) return undefined;
    if (err.name === "TSError" || (typeof err.message === "string" && err.message.startsWith("⨯ Unable to compile TypeScript"))) {
        return typeScriptDiagnostic(err, programDir);
    }
    if (err.name === "SyntaxError") return javaScriptSyntaxError(err, programDir);
    return undefined;
}

/** The package a bare module specifier names (`@scope/name` or `name`); undefined for relative or absolute paths. */
export function packageOfSpecifier(specifier: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:") || /^[A-Za-z]:[\\/]/.test(specifier)) {
        return undefined;
    }
    if (specifier.startsWith("node:")) return undefined;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The package a module-not-found error is about (CommonJS `require` or ES `import`), if it is a package. */
export function missingPackage(err: unknown): string | undefined {
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e?.message !== "string") return undefined;
    if (e.code === "MODULE_NOT_FOUND") {
        const m = /^Cannot find module '([^']+)'/.exec(e.message);
        return m ? packageOfSpecifier(m[1]) : undefined;
    }
    // ES imports: Node's ERR_MODULE_NOT_FOUND, or the same message without a code from ts-node's resolver.
    if (e.code === "ERR_MODULE_NOT_FOUND" || (e.code === undefined && / imported from /.test(e.message))) {
        const m = /^Cannot find (?:package|module) '([^']+)'/.exec(e.message);
        return m ? packageOfSpecifier(m[1]) : undefined;
    }
    return undefined;
}
