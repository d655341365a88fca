#!/usr/bin/env node
// Benchmark runner: `npm run bench -- NAME [NAME…]` runs bench/NAME.ts; `npm run bench` runs every
// bench/*.ts. Each benchmark runs in its own Node process through tsx (TypeScript sources, the root
// tsconfig's `paths` map `@mpstack/*` to `src`, so no build is needed) and prints one JSON object as
// its last line; with several benchmarks a summary of those lines follows.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -3))
  .sort();
const requested = process.argv.slice(2).map((n) => n.replace(/\.ts$/, "").replace(/^bench\//, ""));
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : available;

function run(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(benchDir, `${name}.ts`)], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let tail = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-4096);
    });
    child.on("close", (code) => {
      const last = tail.trimEnd().split("\n").at(-1) ?? "";
      resolve({ name, code: code ?? 1, last });
    });
  });
}

const results = [];
for (const name of names) {
  if (names.length > 1) console.log(`\n=== bench/${name}.ts`);
  results.push(await run(name));
}
const failed = results.filter((r) => r.code !== 0);
if (names.length > 1) {
  console.log("\n=== summary");
  for (const r of results) console.log(r.code === 0 ? r.last : `{"bench":"${r.name}","failed":${r.code}}`);
}
process.exit(failed.length > 0 ? 1 : 0);
