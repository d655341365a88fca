#!/usr/bin/env node
/**
 * `npm pack` of @mpstack/platform gives a tarball that installs alone: its dependency
 * @mpstack/protocol is a workspace package (not on the registry), so the tarball carries it as a
 * bundled dependency. npm bundles only what sits in the package's own node_modules, and in a
 * workspace that dependency is a link at the repository root — so `prepack` stages a copy of the
 * protocol's published files (package.json, dist) in packages/platform/node_modules, and
 * `postpack` removes it again (a stale copy would shadow the workspace's live protocol).
 *
 *   node scripts/pack-platform.mjs stage | clean
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const protocol = join(root, "packages/protocol");
const staged = join(root, "packages/platform/node_modules/@mpstack/protocol");

function clean() {
  rmSync(staged, { recursive: true, force: true });
  for (const dir of [dirname(staged), dirname(dirname(staged))]) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
}

const command = process.argv[2];
if (command === "stage") {
  if (!existsSync(join(protocol, "dist/index.js"))) {
    process.stderr.write("pack-platform: packages/protocol is not built: run `npm run build` first\n");
    process.exit(1);
  }
  // A bundled package's own dependencies are not installed with it: the platform must declare them.
  const read = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const platformDeps = read(join(root, "packages/platform")).dependencies ?? {};
  const missing = Object.keys(read(protocol).dependencies ?? {}).filter((d) => !(d in platformDeps));
  if (missing.length > 0) {
    process.stderr.write(
      `pack-platform: add to the platform's dependencies (the protocol needs them): ${missing.join(", ")}\n`,
    );
    process.exit(1);
  }
  clean();
  cpSync(join(protocol, "package.json"), join(staged, "package.json"));
  cpSync(join(protocol, "dist"), join(staged, "dist"), {
    recursive: true,
    filter: (src) => !src.endsWith(".tsbuildinfo"),
  });
} else if (command === "clean") {
  clean();
} else {
  process.stderr.write("usage: node scripts/pack-platform.mjs stage | clean\n");
  process.exit(2);
}
