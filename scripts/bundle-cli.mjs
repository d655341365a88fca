#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
/**
 * Bundles the `mpstack` CLI into one file (packages/platform/dist/mpstack.mjs). Loading the
 * hundreds of small module files of fastify, kysely and typebox one by one costs more than a
 * second at start-up; one bundled file starts in a fraction of that (the issue asks for < 1 s).
 * Native and optional packages stay external: better-sqlite3 (a native addon), pg and yaml
 * (loaded only when a PostgreSQL URL or a YAML config is given).
 */
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [join(root, "packages/platform/dist/cli.js")],
  outfile: join(root, "packages/platform/dist/mpstack.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pg", "yaml"],
  // `mpstack --version`, wherever the bundle runs from.
  define: {
    __MPSTACK_VERSION__: JSON.stringify(
      JSON.parse(readFileSync(join(root, "packages/platform/package.json"), "utf8")).version,
    ),
  },
  // Bundled CommonJS code calls require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __mpstackRequire } from 'node:module'; const require = __mpstackRequire(import.meta.url);",
  },
  logLevel: "warning",
});
