/** One figure beside its same-run baseline, and how the run is printed and saved. */

export interface Row {
    section: string;
    /** Stable identifier, e.g. "pack.startup"; the smoke test and README refer to rows by it. */
    id: string;
    figure: string;
    value: number;
    unit: string;
    baseline: { name: string; value: number };
    /** value / baseline.value, in the unit's direction (see `ratioMeaning`). */
    ratio: number;
    ratioMeaning: string;
    target?: { description: string; met: boolean };
    /** Time at 1×, 2×, 4× input divided by time at 1× (scan rows). */
    growth?: number[];
    note?: string;
}

export interface Skipped {
    section: string;
    id: string;
    reason: string;
}

/** A side-by-side comparison printed after the rows (the credential corpus: rootguard beside other scanners). */
export interface Table {
    id: string;
    title: string;
    header: string[];
    rows: string[][];
    notes?: string[];
}

export interface Results {
    meta: {
        date: string;
        node: string;
        platform: string;
        cpus: number;
        cpuModel: string;
        quick: boolean;
        resources: number;
        starts: number;
        repeats: number;
    };
    rows: Row[];
    skipped: Skipped[];
    tables?: Table[];
}

function fmt(value: number, unit: string): string {
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return `${value.toFixed(digits)} ${unit}`;
}

function formatRatio(ratio: number): string {
    return ratio >= 0.1 ? `${ratio.toFixed(2)}×` : `1/${(1 / ratio).toFixed(0)}×`;
}

export function formatTable(results: Results): string {
    const header = ["figure", "value", "baseline", "ratio", "target"];
    const body = results.rows.map((r) => [
        r.figure,
        fmt(r.value, r.unit),
        `${r.baseline.name}: ${fmt(r.baseline.value, r.unit)}`,
        `${formatRatio(r.ratio)} ${r.ratioMeaning}`,
        r.target ? `${r.target.description} ${r.target.met ? "✓" : "✗"}` : "—",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
    for (const r of results.rows.filter((x) => x.note)) out.push(`  ${r.id}: ${r.note}`);
    for (const t of results.tables ?? []) out.push("", ...formatComparison(t));
    for (const s of results.skipped) out.push(`skipped ${s.id}: ${s.reason}`);
    const m = results.meta;
    out.push(
        `node ${m.node} on ${m.platform}, ${m.cpus}× ${m.cpuModel}; ${m.quick ? "QUICK (tiny-N, figures not meaningful)" : "full run"}; ${m.resources} resources, ${m.starts} starts, ${m.repeats} repeats`,
    );
    return out.join("\n");
}

function formatComparison(t: Table): string[] {
    const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [
        t.title,
        line(t.header),
        widths.map((w) => "-".repeat(w)).join("  "),
        ...t.rows.map(line),
        ...(t.notes ?? []).map((n) => `  ${n}`),
    ];
}

/** value ÷ baseline: for rates above 1 is faster, for times and sizes below 1 is cheaper. */
export function withRatio(r: Omit<Row, "ratio" | "ratioMeaning">): Row {
    return { ...r, ratio: r.value / r.baseline.value, ratioMeaning: `of ${r.baseline.name}` };
}
