/**
 * `npm run docs`: rewrites the generated regions of docs/*.md (scripts/docs/regions.ts) from the code's metadata
 * (scripts/docs/tables.ts), and the source files generated from it (scripts/docs/component-args.ts). `--check`
 * writes nothing and exits 1 naming every page that differs; the docs test does the same check in `npm test`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedFiles } from "./docs/component-args";
import { applyRegions, type Region } from "./docs/regions";
import { docRegions } from "./docs/tables";

export const REPO_ROOT = path.resolve(__dirname, "..");

/**
 * Each page's current text and its text with every region regenerated, then each generated source file
 * (scripts/docs/component-args.ts) with its current text ("" when it does not exist yet).
 */
export function renderDocs(
    root: string = REPO_ROOT,
    regions: Region[] = docRegions(),
    files: { file: string; content: string }[] = generatedFiles(),
): { file: string; current: string; generated: string }[] {
    const pages = [...new Set(regions.map((r) => r.file))];
    const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : "");
    const whole = files.map(({ file, content }) => ({ file, current: read(file), generated: content }));
    return [
        ...pages.map((file) => {
            const current = fs.readFileSync(path.join(root, file), "utf8");
            return {
                file,
                current,
                generated: applyRegions(
                    current,
                    file,
                    regions.filter((r) => r.file === file),
                ),
            };
        }),
        ...whole,
    ];
}

export function main(argv: string[], root: string = REPO_ROOT): number {
    const check = argv.includes("--check");
    const unknown = argv.filter((a) => a !== "--check");
    if (unknown.length) {
        process.stderr.write(`docs: unknown argument ${unknown[0]}; usage: npm run docs [-- --check]\n`);
        return 2;
    }
    const pages = renderDocs(root);
    const stale = pages.filter((p) => p.current !== p.generated);
    if (check) {
        for (const p of stale) process.stderr.write(`docs: ${p.file} is out of date with the code: run \`npm run docs\`\n`);
        return stale.length ? 1 : 0;
    }
    for (const p of stale) {
        fs.mkdirSync(path.dirname(path.join(root, p.file)), { recursive: true });
        fs.writeFileSync(path.join(root, p.file), p.generated);
    }
    process.stdout.write(stale.length ? `docs: rewrote ${stale.map((p) => p.file).join(", ")}\n` : "docs: up to date\n");
    return 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`docs: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
    }
}
