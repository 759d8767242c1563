/**
 * The page in headless Chromium, outside the test suite:
 *   screenshot <report.json> <out.png>   the README's picture
 *   time <report.json>                   load, filter and sort timings for the closing note
 */
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtml } from "../../../src/cli/compliance/html";
import { parseReport } from "../../../src/cli/compliance/report-file";
import { launchChromium } from "../compliance-chromium";

async function main(): Promise<void> {
    const [mode, input, out] = process.argv.slice(2);
    const report = parseReport(await fs.readFile(input, "utf8"), input);
    const file = join(tmpdir(), `rootguard-page-${process.pid}.html`);
    await fs.writeFile(file, renderHtml(report));
    const browser = await launchChromium();
    try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
        const t0 = Date.now();
        await page.goto(pathToFileURL(file).href);
        await page.locator("#shown").filter({ hasText: " of " }).waitFor();
        const loaded = Date.now() - t0;
        if (mode === "screenshot") {
            await page.screenshot({ path: out, fullPage: false });
            console.log(`wrote ${out}`);
            return;
        }
        const time = async (what: string, act: () => Promise<unknown>): Promise<void> => {
            const t = Date.now();
            await act();
            console.log(`${what}: ${Date.now() - t} ms`);
        };
        console.log(`load (${report.summary.evaluations} rows, ${(await fs.stat(file)).size} bytes): ${loaded} ms`);
        await time("filter (type an account id)", () => page.locator("#filter").fill("100000004999"));
        await time("clear filter", () => page.locator("#filter").fill(""));
        await time("sort by account", () => page.locator('th button[data-col="0"]').click());
        await time("sort by last evaluated", () => page.locator('th button[data-col="4"]').click());
    } finally {
        await browser.close();
        await fs.rm(file, { force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
