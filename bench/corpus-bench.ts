/**
 * The labelled credential corpus (tests/fixtures/credential-corpus): rootguard's pack, sent every sample in
 * seven kinds of resource input over the engine protocol, beside ports of other scanners' AWS rules
 * (bench/scanners) run on each sample's own text — their most favourable case: no placement, no encoding.
 */
import { startPack } from "../src/engine";
import { runOnText, runThroughPack, score, type Decision, type Score } from "../tests/fixtures/credential-corpus/evaluate";
import { PLACEMENTS } from "../tests/fixtures/credential-corpus/placements";
import { SAMPLES, shouldFlag } from "../tests/fixtures/credential-corpus/samples";
import { offlineEnv } from "./pack-bench";
import type { Row, Table } from "./report";
import { PORTED_SCANNERS } from "./scanners";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function cells(name: string, on: string, s: Score, placeholders: number): string[] {
    return [name, on, pct(s.recall), pct(s.precision), `${s.tp}/${s.fp}/${s.fn}/${s.tn}`, String(placeholders)];
}

/** Decisions that flag a documentation example or placeholder sample. */
function placeholderAlarms(ds: Decision[]): number {
    return ds.filter((d) => d.flagged && (d.sample.rule === "N-DOC" || d.sample.rule === "N-PLACEHOLDER")).length;
}

export async function corpusRows(packDir: string): Promise<{ rows: Row[]; table: Table }> {
    const pack = await startPack(packDir, { env: offlineEnv() });
    let ours: { decisions: Decision[]; leaked: string[] };
    try {
        await pack.configure({ "no-root-credentials": { verifyCallerIdentity: false } });
        ours = await runThroughPack(pack);
    } finally {
        await pack.close();
    }
    const overall = score(ours.decisions);
    const perPlacement = PLACEMENTS.map((p) => ({ p, s: score(ours.decisions.filter((d) => d.where === p)) }));
    const worst = perPlacement.reduce((a, b) => (b.s.recall < a.s.recall ? b : a));
    const theirs = PORTED_SCANNERS.map((scanner) => {
        const ds = runOnText((t) => scanner.flags(t));
        return { scanner, ds, s: score(ds) };
    });
    const bestRecall = Math.max(...theirs.map((t) => t.s.recall));
    const positives = SAMPLES.filter(shouldFlag).length;
    const table: Table = {
        id: "corpus",
        title: `Credential corpus: ${SAMPLES.length} samples (${positives} to flag, ${SAMPLES.length - positives} not), decisions TP/FP/FN/TN`,
        header: ["scanner", "input", "recall", "precision", "TP/FP/FN/TN", "placeholders flagged"],
        rows: [
            cells("rootguard (pack, engine protocol)", `${PLACEMENTS.length} placements`, overall, placeholderAlarms(ours.decisions)),
            ...perPlacement.map(({ p, s }) => cells("", p, s, placeholderAlarms(ours.decisions.filter((d) => d.where === p)))),
            ...theirs.map(({ scanner, ds, s }) => cells(scanner.name, "sample text", s, placeholderAlarms(ds))),
        ],
        notes: [
            `messages leaking a key ID or 8 characters of a secret: ${ours.leaked.length}`,
            ...theirs.map(
                ({ scanner }) =>
                    `${scanner.name}: ${scanner.rules} — ${scanner.source.repo}/${scanner.source.path} @ ${scanner.source.commit.slice(0, 12)} (${scanner.source.licence})`,
            ),
        ],
    };
    const rows: Row[] = [
        {
            section: "corpus",
            id: "corpus.recall",
            figure: `credential corpus recall, hardest placement (${worst.p})`,
            value: worst.s.recall * 100,
            unit: "%",
            baseline: { name: "best compared scanner on plain text", value: bestRecall * 100 },
            ratio: worst.s.recall / bestRecall,
            ratioMeaning: "of the best compared scanner",
            target: { description: "≥ 95% and above every compared scanner", met: worst.s.recall >= 0.95 && worst.s.recall > bestRecall },
            note: `overall ${pct(overall.recall)}; missed: ${overall.misses.join(", ") || "none"}`,
        },
        {
            section: "corpus",
            id: "corpus.precision",
            figure: `credential corpus precision, ${PLACEMENTS.length} placements`,
            value: overall.precision * 100,
            unit: "%",
            baseline: { name: "best compared scanner on plain text", value: Math.max(...theirs.map((t) => t.s.precision)) * 100 },
            ratio: overall.precision / Math.max(...theirs.map((t) => t.s.precision)),
            ratioMeaning: "of the best compared scanner",
            target: {
                description: "≥ 99%, no placeholder flagged, 0 leaks",
                met: overall.precision >= 0.99 && placeholderAlarms(ours.decisions) === 0 && ours.leaked.length === 0,
            },
            note: `false alarms: ${overall.falseAlarms.join(", ") || "none"}`,
        },
    ];
    return { rows, table };
}
