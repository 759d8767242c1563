/**
 * Generated regions inside hand-written Markdown. A region sits between two HTML comments, invisible on the
 * rendered page:
 *
 *     <!-- BEGIN GENERATED policies/summary: `npm run docs` writes this from policies/*.ts; edit those, not this -->
 *     …
 *     <!-- END GENERATED policies/summary -->
 *
 * Replacing a region's body is idempotent, and everything outside the markers is left byte for byte.
 */

export interface Region {
    /** Path relative to the repository root, e.g. `docs/policies.md`. */
    file: string;
    /** Unique within the file, e.g. `policies/summary`. */
    id: string;
    /** Where the content comes from, named in the begin marker. */
    source: string;
    content: string;
}

const MARKER = /^<!-- (BEGIN|END) GENERATED ([\w/.-]+)(?:[: ].*)? -->$/;

export function beginMarker(region: Pick<Region, "id" | "source">): string {
    return `<!-- BEGIN GENERATED ${region.id}: \`npm run docs\` writes this from ${region.source}; edit those, not this -->`;
}

export function endMarker(id: string): string {
    return `<!-- END GENERATED ${id} -->`;
}

/** The region ids a text holds, in order; throws on a begin without its end or an end without its begin. */
export function regionIds(text: string, file: string): string[] {
    const ids: string[] = [];
    let open: string | undefined;
    text.split("\n").forEach((line, i) => {
        const m = MARKER.exec(line.trim());
        if (!m) return;
        const [, kind, id] = m;
        if (kind === "BEGIN") {
            if (open) throw new Error(`${file}:${i + 1}: region ${id} begins inside region ${open}`);
            open = id;
        } else {
            if (open !== id) throw new Error(`${file}:${i + 1}: END GENERATED ${id} without its BEGIN`);
            ids.push(id);
            open = undefined;
        }
    });
    if (open) throw new Error(`${file}: region ${open} has no END GENERATED ${open}`);
    return ids;
}

/**
 * `text` with every region of `regions` filled in. A region the text lacks, or a marked region nothing
 * generates, is an error naming the fix: the generator never guesses where a new table belongs.
 */
export function applyRegions(text: string, file: string, regions: Region[]): string {
    const present = regionIds(text, file);
    const wanted = regions.map((r) => r.id);
    const missing = wanted.filter((id) => !present.includes(id));
    if (missing.length) {
        throw new Error(
            `${file} has no place for ${missing.join(", ")}: add the lines ` +
                missing.map((id) => `"${beginMarker({ id, source: "…" }).replace(/: .*/, " -->")}" and "${endMarker(id)}"`).join(", ") +
                " where it belongs",
        );
    }
    const stale = present.filter((id) => !wanted.includes(id));
    if (stale.length) throw new Error(`${file} marks ${stale.join(", ")} as generated, but nothing generates it: remove those markers`);
    const lines = text.split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const m = MARKER.exec(lines[i].trim());
        if (!m || m[1] !== "BEGIN") {
            out.push(lines[i]);
            continue;
        }
        const region = regions.find((r) => r.id === m[2])!;
        out.push(beginMarker(region), region.content.replace(/\n+$/, ""), endMarker(region.id));
        while (!(MARKER.exec(lines[i].trim())?.[1] === "END")) i++;
    }
    return out.join("\n");
}

/** A Markdown table; cells are escaped so a `|` or a line break inside a value cannot break the row. */
export function markdownTable(header: string[], rows: string[][]): string {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
    const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
