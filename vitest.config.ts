import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build step.
    alias: {
      "@mpstack/protocol": src("protocol"),
      "@mpstack/platform": src("platform"),
      "@mpstack/sdk": src("sdk"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.{ts,tsx}", "examples/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./scripts/vitest-summary.ts"],
    // No secret of the demo world on stdout/stderr during the run (the journal: test/helpers.ts).
    globalSetup: ["./scripts/vitest-secret-scan.ts"],
  },
});
