/**
 * One way to start Debian's Chromium (driven by playwright-core) for the browser suites and the
 * console benchmark: headless, no sandbox (CI runs as root), nothing that reaches the network.
 */
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** `executablePath`: the suites pass MPSTACK_TEST_CHROMIUM (they are skipped without it). */
export function launchChromium(executablePath: string | undefined): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
