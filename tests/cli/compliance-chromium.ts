/**
 * A headless Chromium for the page test and the tools, with nothing to install beyond `npm install`:
 * `ROOTGUARD_CHROMIUM` wins, then the Chromium that ships inside the npm package `@sparticuz/chromium`
 * (unpacked to /tmp on first use), so a fresh machine with only Node and npm runs the test.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

// No network on CI machines: without these Chromium keeps dialling Google services.
export const CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/** The browser binary: the override when set (it must exist), else the packaged one. */
export async function chromiumExecutable(): Promise<string> {
    const override = process.env.ROOTGUARD_CHROMIUM;
    if (override) {
        if (!existsSync(override))
            throw new Error(`ROOTGUARD_CHROMIUM=${override} does not exist: point it at a Chromium binary or unset it`);
        return override;
    }
    const packaged = (await import("@sparticuz/chromium")).default;
    return packaged.executablePath();
}

export async function launchChromium(): Promise<Browser> {
    return chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
}
