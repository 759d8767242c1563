/*
 * Real programs through the offline preview and rootguard's own pack (issue 16: "a real-programs test in the
 * suite"). Every program runs from a fresh copy outside the repository, through the same steps as
 * `rootguard preview` (preparePreview → recordPreview → the engine's conversation with the pack); the pack is
 * started once and shared, and programs run two at a time, to keep the suite's time down.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mapBounded } from "../../src/core/paging";
import { startPack, type PackClient } from "../../src/engine";
import { UserError } from "../../src/cli/errors";
import { evaluateWith } from "../../src/cli/preview/evaluate";
import { preparePreview, recordPreview } from "../../src/cli/preview/preview-program";
import { packRequests } from "../../src/cli/preview/resources";
import { ensureBuilt } from "../build";
import { FIXTURES, REPO_ROOT } from "./preview-helpers";
import { REAL_PROGRAMS, type RealProgram, type Stub } from "./real-programs";

const CORPUS = path.join(FIXTURES, "real-programs");

/** Stand-ins for packages rootguard does not carry: just enough of each for the programs above to run. */
const STUBS: Record<Stub, Record<string, string>> = {
    "@pulumi/random": {
        "package.json": JSON.stringify({ name: "@pulumi/random", version: "4.19.2", main: "index.js" }),
        "index.js": [
            'const pulumi = require("@pulumi/pulumi");',
            "const resource = (kind) => class extends pulumi.CustomResource {",
            "    constructor(name, args, opts) { super(`random:index/${kind[0].toLowerCase()}${kind.slice(1)}:${kind}`, name, { ...args, result: undefined }, opts); }",
            "};",
            'module.exports = { RandomPassword: resource("RandomPassword"), RandomString: resource("RandomString"), RandomId: resource("RandomId") };',
        ].join("\n"),
    },
    mime: {
        "package.json": JSON.stringify({ name: "mime", version: "4.0.0", type: "module", exports: "./index.js" }),
        "index.js": 'export default { getType: (file) => (file.endsWith(".html") ? "text/html" : "application/octet-stream") };',
    },
};

type Result = { resources: number; violations: string[] } | { error: string };

function copyProgram(program: RealProgram): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rootguard-real-${program.dir}-`));
    fs.cpSync(path.join(CORPUS, program.dir), dir, { recursive: true });
    for (const stub of program.install ?? []) {
        for (const [file, text] of Object.entries(STUBS[stub])) {
            fs.mkdirSync(path.join(dir, "node_modules", stub), { recursive: true });
            fs.writeFileSync(path.join(dir, "node_modules", stub, file), text);
        }
    }
    return dir;
}

describe("real programs: public Pulumi programs and leaky variants, previewed offline", function () {
    this.timeout(900_000);
    let pack: PackClient;
    const results = new Map<RealProgram, Result>();
    const copies: string[] = [];

    before(async () => {
        ensureBuilt();
        pack = await startPack(REPO_ROOT);
        // The pack's conversation is per program; only the program runs overlap.
        let packTurn = Promise.resolve();
        await mapBounded(REAL_PROGRAMS, 2, async (program) => {
            const dir = copyProgram(program);
            copies.push(dir);
            try {
                const prepared = preparePreview(dir, program.request);
                const { records } = await recordPreview(prepared);
                const turn = packTurn.then(() =>
                    evaluateWith(pack, { stack: prepared.stack, project: prepared.project.name }, packRequests(records)),
                );
                packTurn = turn.then(
                    () => undefined,
                    () => undefined,
                );
                const verdict = await turn;
                results.set(program, {
                    resources: records.length,
                    violations: verdict.diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.urn ?? "(stack)"}`).sort(),
                });
            } catch (err) {
                if (!(err instanceof UserError)) throw err;
                results.set(program, { error: err.message.split(dir).join("<dir>") });
            }
        });
    });

    after(async () => {
        await pack?.close();
        for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const program of REAL_PROGRAMS) {
        const title = `${program.dir}${program.install ? ` (with ${program.install.join(", ")} installed)` : ""}: ${program.exercises}`;
        it(title, () => {
            assert.deepEqual(results.get(program), program.expect);
        });
    }
});
