#!/usr/bin/env node
/**
 * Updates the console's screenshots in docs/screenshots (shown in the README): runs the console's
 * end-to-end suite in Chromium (MPSTACK_TEST_CHROMIUM, default /usr/bin/chromium), which saves every
 * screen at desktop and phone width into MPSTACK_SCREENSHOTS_DIR. Needs a CJK font for the Chinese
 * screens (Debian: fonts-wqy-zenhei). Usage: `node scripts/console-screenshots.mjs`.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync("npx", ["vitest", "run", "packages/console/test/e2e.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    MPSTACK_TEST_CHROMIUM: process.env.MPSTACK_TEST_CHROMIUM ?? "/usr/bin/chromium",
    MPSTACK_SCREENSHOTS_DIR: join(root, "docs", "screenshots"),
  },
});
process.exit(r.status ?? 1);
