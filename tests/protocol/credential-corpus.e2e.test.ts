/**
 * The labelled credential corpus (tests/fixtures/credential-corpus) through rootguard's pack over the engine
 * protocol: each sample in seven kinds of resource input, as `pulumi preview --policy-pack` would send them.
 * Targets from issue 17: recall ≥ 95%, precision ≥ 99%, above every compared scanner's recall (ports in
 * bench/scanners, run on each sample's own text, their best case); documentation examples and placeholders
 * never flagged; no message carries a key ID or any 8 characters of a secret.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PORTED_SCANNERS } from "../../bench/scanners";
import { startPack, type PackClient } from "../../src/engine";
import { ensureBuilt } from "../build";
import { runOnText, runThroughPack, score, type Decision } from "../fixtures/credential-corpus/evaluate";
import { PLACEMENTS } from "../fixtures/credential-corpus/placements";
import { SAMPLES } from "../fixtures/credential-corpus/samples";
import { REPO_ROOT, isolatedAwsEnv } from "./helpers";

describe("protocol: credential corpus through the pack", function () {
    this.timeout(300_000);
    let pack: PackClient;
    let decisions: Decision[] = [];
    let leaked: string[] = [];

    before(async () => {
        ensureBuilt();
        pack = await startPack(REPO_ROOT, { env: isolatedAwsEnv() });
        await pack.configure({ "no-root-credentials": { verifyCallerIdentity: false } });
        ({ decisions, leaked } = await runThroughPack(pack));
    });
    after(async () => {
        await pack?.close();
    });

    it("has enough of both kinds, each from a named source", () => {
        const positives = SAMPLES.filter((s) => s.rule.startsWith("P-")).length;
        assert.ok(positives >= 45 && SAMPLES.length - positives >= 50, `${positives} positive, ${SAMPLES.length - positives} negative`);
        assert.equal(new Set(SAMPLES.map((s) => s.id)).size, SAMPLES.length, "sample ids are unique");
        for (const s of SAMPLES) assert.ok(s.source.repo && s.source.path && s.source.commit && s.source.licence, s.id);
    });

    it("recall ≥ 95% and precision ≥ 99% over every sample in every placement", () => {
        const s = score(decisions);
        assert.ok(s.recall >= 0.95, `recall ${(s.recall * 100).toFixed(1)}%; missed ${s.misses.join(", ")}`);
        assert.ok(s.precision >= 0.99, `precision ${(s.precision * 100).toFixed(1)}%; false alarms ${s.falseAlarms.join(", ")}`);
    });

    it("recall on the hardest placement is above every compared scanner's recall on the plain text", () => {
        const ours = Math.min(...PLACEMENTS.map((p) => score(decisions.filter((d) => d.where === p)).recall));
        for (const scanner of PORTED_SCANNERS) {
            const theirs = score(runOnText((t) => scanner.flags(t))).recall;
            assert.ok(ours > theirs, `${scanner.name}: ${(theirs * 100).toFixed(1)}% vs ours ${(ours * 100).toFixed(1)}%`);
        }
    });

    it("never flags documentation examples or placeholders, in any placement", () => {
        const flagged = decisions.filter((d) => (d.sample.rule === "N-DOC" || d.sample.rule === "N-PLACEHOLDER") && d.flagged);
        assert.deepEqual(
            flagged.map((d) => `${d.sample.id}@${d.where}`),
            [],
        );
    });

    it("no message leaks a key ID or part of a secret", () => {
        assert.deepEqual(leaked, []);
    });

    it("docs/policies.md states the figures this run measured", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/policies.md"), "utf8");
        const table = /<!-- corpus-figures[^>]*-->\n([\s\S]*?)<!-- \/corpus-figures -->/.exec(doc)?.[1] ?? "";
        const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
        const alarms = (ds: Decision[]) =>
            ds.filter((d) => d.flagged && (d.sample.rule === "N-DOC" || d.sample.rule === "N-PLACEHOLDER")).length;
        const expected = [
            { name: "rootguard", input: `${PLACEMENTS.length} placements × ${SAMPLES.length} samples`, ds: decisions },
            ...PORTED_SCANNERS.map((sc) => ({ name: sc.name, input: "sample text", ds: runOnText((t) => sc.flags(t)) })),
        ];
        const wanted = expected.map(({ name, input, ds }) => {
            const s = score(ds);
            return `${name} | ${input} | ${pct(s.recall)} | ${pct(s.precision)} | ${alarms(ds)}`;
        });
        const rows = table
            .split("\n")
            .filter((l) => l.startsWith("| ") && !l.startsWith("| ---") && !l.startsWith("| scanner"))
            .map((l) =>
                l
                    .slice(2, -2)
                    .split(" | ")
                    .map((c, i) => (i === 0 ? c.replace(/ \(.*\)$/, "").replace(/ \(this pack\)$/, "") : c))
                    .join(" | "),
            );
        assert.deepEqual(
            rows.slice().sort(),
            wanted.slice().sort(),
            `update the corpus-figures table in docs/policies.md to:\n${wanted.join("\n")}`,
        );
    });
});
