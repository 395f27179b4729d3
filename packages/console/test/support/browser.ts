import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`, done by `.ci/run`); `ZART_CHROMIUM` overrides it. */
export const CHROMIUM_PATH = process.env.ZART_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether the browser tests run. Without a browser they are skipped with a loud warning, unless
 * `ZART_TEST_REQUIRE_ALL=1` (CI): then they run and fail on the missing browser.
 */
export const browserAvailable = existsSync(CHROMIUM_PATH) || process.env.ZART_TEST_REQUIRE_ALL === "1";
if (!browserAvailable) {
  console.warn(
    `\n⚠⚠⚠ @zart/console browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH}. ` +
      "Install it (`apt-get install -y chromium`) or set ZART_CHROMIUM. ⚠⚠⚠\n",
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
