/** What reaches the terminal: one colour rule for every command, and a progress line only where it can redraw. */
import { strict as assert } from "node:assert";
import { chooseStyle } from "../../src/cli/preview/report";
import { runStatus } from "../../src/cli/preview/run-limits";
import { shouldColor } from "../../src/cli/terminal";
import { Capture } from "./compliance-helpers";

const ENVS: NodeJS.ProcessEnv[] = [
    {},
    { NO_COLOR: "1" },
    { NO_COLOR: "" },
    { FORCE_COLOR: "1" },
    { FORCE_COLOR: "0" },
    { FORCE_COLOR: "false" },
    { TERM: "dumb" },
    { TERM: "dumb", FORCE_COLOR: "1" },
    { NO_COLOR: "1", FORCE_COLOR: "1" },
];

describe("terminal output", () => {
    it("preview and compliance colour by the same rule: NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal", () => {
        for (const env of ENVS) {
            for (const isTTY of [true, false]) {
                const coloured = chooseStyle({ isTTY }, env).red("x") !== "x";
                assert.equal(coloured, shouldColor({ isTTY }, env), `${JSON.stringify(env)} tty=${isTTY}`);
            }
        }
        assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: "1" }), true, "FORCE_COLOR colours a pipe (CI logs)");
        assert.equal(shouldColor({ isTTY: true }, { TERM: "dumb" }), false);
        assert.equal(shouldColor({ isTTY: true }, { FORCE_COLOR: "0" }), false);
        assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "1", FORCE_COLOR: "1" }), false, "NO_COLOR wins");
    });

    it("draws the run's status on a terminal after a second, and clears it before the report", async () => {
        const tty = new Capture(true);
        let clock = 0;
        const status = runStatus(tty, {}, () => clock);
        status.phase("analyzing resources", 3);
        status.analyzed();
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(tty.text, "", "nothing in the first second");
        clock = 2_500;
        await new Promise((r) => setTimeout(r, 300));
        // eslint-disable-next-line no-control-regex
        assert.match(tty.text, /\r\x1b\[2Krootguard: analyzing resources 1\/3 \(2 s\)$/);
        status.done();
        assert.ok(tty.text.endsWith("\r\x1b[2K"), "cleared");
        assert.equal(status.describe(), "analyzing resources (1 of 3 done)");
    });

    it("draws nothing in a pipe or on TERM=dumb", async () => {
        for (const [stream, env] of [
            [new Capture(false), {}],
            [new Capture(true), { TERM: "dumb" }],
        ] as const) {
            let clock = 0;
            const status = runStatus(stream, env, () => clock);
            status.phase("running the program");
            clock = 5_000;
            await new Promise((r) => setTimeout(r, 300));
            status.done();
            assert.equal(stream.text, "");
        }
    });
});
