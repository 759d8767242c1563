import * as assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { registerComplianceCommand, runCompliance } from "../../src/cli/compliance/command";
import { cspHash, escapeHtml, renderHtml } from "../../src/cli/compliance/html";
import { buildReport, REPORT_FORMAT, REPORT_VERSION, reportJson, type ComplianceReport } from "../../src/cli/compliance/report-model";
import { renderTable } from "../../src/cli/compliance/table";
import { shouldColor } from "../../src/cli/terminal";
import { UserError } from "../../src/cli/errors";
import { Capture, rejection, sampleReport, testDeps } from "./compliance-helpers";

const ESC = "\x1b[";
const SGR_CODE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

describe("compliance: terminal table", () => {
    const report = sampleReport(14, { withInventory: true });

    it("colours statuses when asked, and prints no escape codes when not", () => {
        const coloured = renderTable(report, { color: true });
        assert.ok(coloured.includes(`${ESC}1;31mNON_COMPLIANT`), "non-compliant in bold red");
        assert.ok(coloured.includes(`${ESC}32mCOMPLIANT`), "compliant in green");
        const plain = renderTable(report, { color: false });
        assert.ok(!plain.includes(ESC));
        // Same text once the colour is gone.
        assert.equal(coloured.replace(SGR_CODE, ""), plain);
    });

    it("aligns columns and puts the worst rows first", () => {
        const lines = renderTable(report, { color: false }).split("\n");
        assert.match(lines[0], /^ACCOUNT {7}REGION {5}RULE {23}COMPLIANCE {9}LAST EVALUATED$/);
        assert.match(lines[1], /^100000000005 {2}us-east-1 {2}root-account-mfa-enabled {3}NON_COMPLIANT {6}2026-11-22 05:05Z$/);
        const statuses = lines.slice(1, 1 + report.evaluations.length).map((l) => l.split(/\s+/)[3]);
        const order = ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"];
        assert.deepEqual(
            [...statuses].sort((x, y) => order.indexOf(x) - order.indexOf(y)),
            statuses,
        );
    });

    it("ends with the scope and summary counts, and lists inventory keys masked", () => {
        const text = renderTable(report, { color: false });
        assert.match(text, /Organization \(aggregator rootguard-org\) · us-east-1 · generated 2026-11-22 23:30Z/);
        assert.match(
            text,
            /14 accounts, 28 evaluations: 4 NON_COMPLIANT, 1 INSUFFICIENT_DATA, 17 COMPLIANT, 6 NOT_APPLICABLE; 4 accounts non-compliant/,
        );
        assert.match(
            text,
            /Root access keys\nACCOUNT {7}KEY {11}STATUS {2}CREATED {12}LAST USED\n100000000007 {2}AKIA\*\*\*\*WXYZ {2}Active {2}2024-01-02 03:04Z {2}2026-10-01 00:00Z \(s3, us-east-1\)/,
        );
        // The page shows the same scope, last-use text and generation time.
        const html = renderHtml(report);
        assert.ok(
            html.includes(
                '<p class="meta" id="scope">Organization (aggregator rootguard-org) · us-east-1 · generated <time id="generated" datetime="2026-11-22T23:30:00.000Z">2026-11-22 23:30Z</time></p>',
            ),
        );
        assert.ok(html.includes("<td>2024-01-02 03:04Z</td><td>2026-10-01 00:00Z (s3, us-east-1)</td></tr>"));
    });

    it("never passes terminal control sequences from the data through", () => {
        const r = sampleReport(1);
        r.evaluations[0].rule = "evil\x1b]0;pwned\x07\x1b[2J";
        const text = renderTable(r, { color: false });
        assert.ok(!text.includes("\x1b"), "no ESC");
        assert.ok(!text.includes("\x07"), "no BEL");
        assert.ok(text.includes("evil\ufffd]0;pwned\ufffd\ufffd[2J"));
    });

    it("counts accounts without root keys instead of listing them", () => {
        const r = sampleReport(7, { withInventory: true });
        const text = renderTable(r, { color: false });
        assert.match(text, /\n7 accounts inventoried; 6 without root access keys \(not listed\)\.\n/);
        assert.doesNotMatch(text, /100000000001 {2}-/);
        assert.match(
            renderHtml(r),
            /<p class="meta" id="inventory-count">7 accounts inventoried; 6 without root access keys \(not listed\)\.<\/p>/,
        );
    });

    it("decides colour: NO_COLOR wins, FORCE_COLOR forces, otherwise TTY and not dumb", () => {
        assert.equal(shouldColor({ isTTY: true }, {}), true);
        assert.equal(shouldColor({ isTTY: false }, {}), false);
        assert.equal(shouldColor({}, {}), false);
        assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "1" }), false);
        assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "" }), true, "an empty NO_COLOR does not count (no-color.org)");
        assert.equal(shouldColor({ isTTY: true }, { TERM: "dumb" }), false);
        assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: "1" }), true);
        assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: "0" }), false);
        assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "1", FORCE_COLOR: "1" }), false);
    });

    it("the command colours a TTY stdout, but not under NO_COLOR or in a pipe", async () => {
        const file = await writeTemp("r.json", reportJson(report));
        const tty = testDeps({ stdout: new Capture(true) });
        await runCompliance({ from: file }, tty);
        assert.ok(tty.stdout.text.includes(ESC));
        const noColor = testDeps({ stdout: new Capture(true), env: { NO_COLOR: "1" } });
        await runCompliance({ from: file }, noColor);
        assert.ok(!noColor.stdout.text.includes(ESC));
        const pipe = testDeps({ stdout: new Capture(false) });
        await runCompliance({ from: file }, pipe);
        assert.ok(!pipe.stdout.text.includes(ESC));
        assert.equal(pipe.stdout.text, noColor.stdout.text);
    });
});

describe("compliance: JSON report and --from", () => {
    it("has the documented version 1 shape", () => {
        const json = JSON.parse(reportJson(sampleReport(7, { withInventory: true })));
        assert.deepEqual(Object.keys(json), [
            "format",
            "version",
            "generatedAt",
            "source",
            "rules",
            "rulesNotFound",
            "summary",
            "evaluations",
            "inventory",
        ]);
        assert.equal(json.format, REPORT_FORMAT);
        assert.equal(json.version, REPORT_VERSION);
        assert.equal(json.generatedAt, "2026-11-22T23:30:00.000Z");
        assert.deepEqual(json.source, { mode: "organization", aggregator: "rootguard-org", region: "us-east-1" });
        assert.deepEqual(Object.keys(json.summary), ["accounts", "evaluations", "nonCompliantAccounts", "byCompliance"]);
        assert.deepEqual(Object.keys(json.summary.byCompliance), ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"]);
        assert.deepEqual(Object.keys(json.evaluations[0]), [
            "accountId",
            "region",
            "rule",
            "configRuleName",
            "compliance",
            "lastEvaluated",
        ]);
        assert.deepEqual(Object.keys(json.inventory[0]), ["accountId", "method", "keys"]);
        const withKey = json.inventory.find((i: { keys: unknown[] }) => i.keys.length > 0);
        assert.deepEqual(Object.keys(withKey.keys[0]), ["keyId", "status", "created", "lastUsed", "lastUsedService", "lastUsedRegion"]);
    });

    it("round-trips: --json output read back with --from gives the same JSON, table and page", async () => {
        const original = sampleReport(30, { withInventory: true });
        const first = testDeps();
        const file = await writeTemp("round.json", reportJson(original));
        await runCompliance({ from: file, json: true }, first);
        assert.equal(first.stdout.text, reportJson(original));
        const again = await writeTemp("again.json", first.stdout.text);
        const table = testDeps();
        await runCompliance({ from: again }, table);
        assert.equal(table.stdout.text, renderTable(original, { color: false }));
        const page = path.join(path.dirname(again), "page.html");
        const html = testDeps();
        await runCompliance({ from: again, html: page }, html);
        assert.equal(await fs.readFile(page, "utf8"), renderHtml(original));
        assert.equal(html.stdout.text, "");
        assert.match(html.stderr.text, /^rootguard: wrote .*page\.html \(30 accounts, 60 evaluations\)\n$/);
    });

    it("recomputes the summary instead of trusting the file", async () => {
        const data = JSON.parse(reportJson(sampleReport(5)));
        data.summary.byCompliance.COMPLIANT = 999;
        const deps = testDeps();
        const report = await runCompliance({ from: await writeTemp("edited.json", JSON.stringify(data)), json: true }, deps);
        assert.equal(report.summary.byCompliance.COMPLIANT, sampleReport(5).summary.byCompliance.COMPLIANT);
    });

    it("masks a full key id that a hand-edited file carries", async () => {
        const data = JSON.parse(reportJson(sampleReport(7, { withInventory: true })));
        data.inventory.find((i: { keys: unknown[] }) => i.keys.length > 0).keys[0].keyId = "AKIASP2TPHJSQH3FJRUX";
        const deps = testDeps();
        await runCompliance({ from: await writeTemp("unmasked.json", JSON.stringify(data)) }, deps);
        assert.ok(!deps.stdout.text.includes("AKIASP2TPHJSQH3FJRUX"));
        assert.ok(deps.stdout.text.includes("AKIA****JRUX"));
    });

    const badFiles: [string, string | undefined, RegExp][] = [
        ["missing file", undefined, /^cannot read report .*missing\.json: no such file$/],
        [
            "not JSON",
            "{ nope",
            /^report .*bad-1\.json is not valid JSON \(line 1, column 3\): a report is what rootguard compliance --json > compliance-report\.json writes$/,
        ],
        [
            "another JSON document",
            JSON.stringify({ hello: "world" }),
            /is not a rootguard compliance report \(no "format": "rootguard-compliance"\); make one with: rootguard compliance --json > compliance-report\.json$/,
        ],
        ["a newer version", JSON.stringify({ format: REPORT_FORMAT, version: 2 }), /is report version 2, this rootguard reads version 1: /],
        [
            "a bad status",
            "STATUS",
            /: evaluations\[1\]\.compliance must be one of NON_COMPLIANT, INSUFFICIENT_DATA, COMPLIANT, NOT_APPLICABLE; make a new report with: rootguard compliance --json > compliance-report\.json$/,
        ],
        ["a bad account id", "ACCOUNT", /: evaluations\[0\]\.accountId must be a 12-digit account id;/],
        ["a region that is a host name", "REGION", /: source\.region must be an AWS region such as us-east-1;/],
        ["a bad date", "DATE", /: evaluations\[2\]\.lastEvaluated must be an ISO 8601 date or null;/],
    ];
    it("never suggests a command that would overwrite the report being read", async () => {
        const dir = await tempDir();
        const cwd = process.cwd();
        process.chdir(dir);
        try {
            for (const name of ["compliance-report.json", "report.json"]) {
                await fs.writeFile(name, "{ nope");
                const err = await rejection(runCompliance({ from: name }, testDeps()));
                const target = /> (\S+)/.exec(err.message)?.[1];
                assert.ok(target, err.message);
                assert.notEqual(path.resolve(target), path.resolve(name), err.message);
            }
        } finally {
            process.chdir(cwd);
        }
    });

    badFiles.forEach(([what, content, expected], i) => {
        it(`rejects ${what} with one actionable line`, async () => {
            let body = content;
            if (body && /^[A-Z]+$/.test(body)) {
                const data = JSON.parse(reportJson(sampleReport(3)));
                if (body === "STATUS") data.evaluations[1].compliance = "FINE";
                if (body === "ACCOUNT") data.evaluations[0].accountId = "12345";
                if (body === "REGION") data.source.region = "evil.example/";
                if (body === "DATE") data.evaluations[2].lastEvaluated = "yesterday";
                body = JSON.stringify(data);
            }
            const file = body === undefined ? path.join(await tempDir(), "missing.json") : await writeTemp(`bad-${i}.json`, body);
            const err = await rejection(runCompliance({ from: file }, testDeps()));
            assert.ok(err instanceof UserError, String(err));
            assert.equal(err.message.split("\n").length, 1);
            assert.match(err.message, expected);
        });
    });
});

describe("compliance: command line", () => {
    /** What main.ts does with the outcome: exit code and stderr line. */
    async function run(args: string[], base = testDeps()): Promise<{ code: number; stderr: string; stdout: string }> {
        let exitCode = 0;
        const deps = { ...base, setExitCode: (c: number) => void (exitCode = c) };
        const program = new Command("rootguard")
            .exitOverride()
            .configureOutput({ writeErr: (s) => deps.stderr.write(s), writeOut: (s) => deps.stdout.write(s) });
        registerComplianceCommand(program, () => deps);
        try {
            await program.parseAsync(["node", "rootguard", "compliance", ...args]);
            return { code: exitCode, stderr: deps.stderr.text, stdout: deps.stdout.text };
        } catch (err) {
            if (err instanceof CommanderError)
                return { code: err.exitCode === 0 ? 0 : 2, stderr: deps.stderr.text, stdout: deps.stdout.text };
            if (err instanceof UserError) return { code: err.exitCode, stderr: `rootguard: ${err.message}\n`, stdout: deps.stdout.text };
            throw err;
        }
    }

    it("renders a saved report and collects repeated --rule", async () => {
        const file = await writeTemp("cli.json", reportJson(sampleReport(2)));
        const out = await run(["--from", file, "--json"]);
        assert.equal(out.code, 0);
        assert.equal(JSON.parse(out.stdout).evaluations.length, 4);
    });

    it("--fail-on-noncompliant exits 1 only when an evaluation is NON_COMPLIANT", async () => {
        const mixed = sampleReport(7);
        assert.ok(mixed.summary.byCompliance.NON_COMPLIANT > 0, "sample has non-compliant accounts");
        const file = await writeTemp("gate.json", reportJson(mixed));
        assert.equal((await run(["--from", file, "--fail-on-noncompliant"])).code, 1);
        assert.equal((await run(["--from", file])).code, 0, "without the flag the report alone never fails");

        const clean = buildReport({
            ...mixed,
            generatedAt: new Date(mixed.generatedAt),
            evaluations: mixed.evaluations.filter((e) => e.compliance !== "NON_COMPLIANT"),
        });
        assert.equal(clean.summary.byCompliance.NON_COMPLIANT, 0);
        const cleanFile = await writeTemp("gate-clean.json", reportJson(clean));
        assert.equal((await run(["--from", cleanFile, "--fail-on-noncompliant", "--json"])).code, 0);
    });

    it("refuses --from together with live options", async () => {
        const out = await run(["--from", "x.json", "--aggregator", "org"]);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /option '--from <report\.json>' cannot be used with option '--aggregator <name>'/);
    });

    it("refuses --json together with --html", async () => {
        const out = await run(["--json", "--html", "x.html"]);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /cannot be used with/);
    });

    it("a bad --from file exits 2 with one line", async () => {
        const out = await run(["--from", await writeTemp("garbage.json", "garbage")]);
        assert.equal(out.code, 2);
        assert.equal(out.stderr.split("\n").filter(Boolean).length, 1);
    });

    it("an unwritable --html path exits 2 with one line", async () => {
        const file = await writeTemp("ok.json", reportJson(sampleReport(2)));
        const out = await run(["--from", file, "--html", path.join(await tempDir(), "no", "such", "dir", "x.html")]);
        assert.equal(out.code, 2);
        assert.match(out.stderr, /^rootguard: cannot write .*x\.html: its folder does not exist\n$/);
    });
});

describe("compliance: HTML page (static)", () => {
    it("is self-contained with the strict CSP and no external references", () => {
        const html = renderHtml(sampleReport(10));
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
        const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
        const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
        assert.ok(style.length > 100 && script.length > 100);
        // Exactly the page's own style and script, by hash; no 'unsafe-inline', no forms, no <base>.
        assert.equal(
            csp,
            `default-src 'none'; style-src ${cspHash(style)}; script-src ${cspHash(script)}; form-action 'none'; base-uri 'none'`,
        );
        assert.doesNotMatch(csp, /unsafe/);
        assert.equal(html.match(/<script\b/g)?.length, 1, "one script element");
        assert.equal(html.match(/<style\b/g)?.length, 1, "one style element");
        assert.doesNotMatch(html, /\son[a-z]+=/i, "no inline event handlers (the CSP would refuse them)");
        assert.doesNotMatch(html, /\sstyle=/i, "no style attributes (the CSP would refuse them)");
        assert.doesNotMatch(html, /<(?:link|img|iframe|object|embed)\b/i);
        assert.doesNotMatch(html, /\bsrc=/i);
        assert.doesNotMatch(html, /url\(/i);
        // The only absolute URLs are the console deep links.
        const urls = html.match(/https?:\/\/[^"'\s<]+/g) ?? [];
        assert.ok(urls.length > 0);
        for (const u of urls) assert.match(u, /^https:\/\/(us-east-1|eu-west-1)\.console\.aws\.amazon\.com\/config\/home\?region=/);
    });

    it("escapes every value that came from AWS or the file", () => {
        const nasty = buildReport({
            generatedAt: new Date("2026-11-22T00:00:00Z"),
            source: { mode: "organization", aggregator: `</title><script>alert(1)</script>`, region: "us-east-1" },
            rules: [`<img src=x onerror=alert(1)>`],
            evaluations: [
                {
                    accountId: "123456789012",
                    region: "us-east-1",
                    rule: `r"><script>alert(2)</script>`,
                    configRuleName: `x" onmouseover="alert(3)`,
                    compliance: "NON_COMPLIANT",
                    lastEvaluated: null,
                    annotation: `'><b>AKIASP2TPHJSQH3FJRUX</b>`,
                },
            ],
        });
        const html = renderHtml(nasty);
        assert.doesNotMatch(html, /<script>alert/);
        assert.doesNotMatch(html, /<img/);
        assert.doesNotMatch(html, /" onmouseover="/);
        assert.doesNotMatch(html, /<b>/);
        assert.doesNotMatch(html, /AKIASP2TPHJSQH3FJRUX/);
        assert.ok(html.includes("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert.equal(escapeHtml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
    });

    it("links no console for a region that is not region-shaped", () => {
        const r: ComplianceReport = sampleReport(1);
        r.evaluations[0].region = "us-east-1.evil.example#";
        assert.doesNotMatch(renderHtml(r), /evil\.example#\.console/);
    });
});

let dir: string | undefined;
async function tempDir(): Promise<string> {
    dir ??= await fs.mkdtemp(path.join(os.tmpdir(), "rootguard-compliance-"));
    return dir;
}

async function writeTemp(name: string, content: string): Promise<string> {
    const file = path.join(await tempDir(), name);
    await fs.writeFile(file, content);
    return file;
}

after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
});
