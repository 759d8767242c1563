/** Debian's Chromium, launched the way this offline machine needs it (for the page test and the tools). */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.ROOTGUARD_CHROMIUM ?? "/usr/bin/chromium";
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

export async function launchChromium(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) {
        throw new Error(
            `Chromium not found at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium) or set ROOTGUARD_CHROMIUM; .ci/run installs it`,
        );
    }
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
