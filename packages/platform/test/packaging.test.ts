/**
 * The `mpstack` command on a fresh clone and from a tarball: the bin target is a file in git (npm
 * links bins before `prepare` builds anything), `mpstack --version` answers, and `npm pack` of the
 * platform carries everything an install needs (the bundle, the library, @mpstack/protocol as a
 * bundled dependency, whose own dependencies the platform declares) and leaves no staged copy
 * behind. (.ci/run installs the real tarball in an empty folder and runs it.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const PLATFORM = join(ROOT, "packages/platform");
const pkg = JSON.parse(readFileSync(join(PLATFORM, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  bundleDependencies?: string[];
};
const BUILT =
  existsSync(join(PLATFORM, "dist/mpstack.mjs")) && existsSync(join(ROOT, "packages/protocol/dist"));
const inGit = existsSync(join(ROOT, ".git"));

describe("the mpstack bin", () => {
  it.skipIf(!inGit)("is a file in git, so npm links it on a fresh clone before anything is built", () => {
    const target = join("packages/platform", pkg.bin.mpstack!);
    const staged = execFileSync("git", ["ls-files", "-s", "--error-unmatch", target], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(staged).toMatch(/^100755 /);
    expect(pkg.bin.mpstack).not.toMatch(/^\.?\/?dist\//);
  });

  it.skipIf(!BUILT)(`answers --version ${BUILT ? "" : "(skipped: not built — npm run build)"}`, () => {
    const out = execFileSync(process.execPath, [join(PLATFORM, pkg.bin.mpstack!), "--version"], {
      encoding: "utf8",
    });
    expect(out.trim()).toBe(`mpstack ${pkg.version}`);
  });
});

describe.skipIf(!BUILT)(`npm pack of the platform ${BUILT ? "" : "(skipped: not built)"}`, () => {
  it("carries the bin, the bundle, the library and @mpstack/protocol with its dependencies declared", () => {
    const json = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts=false"], {
      cwd: PLATFORM,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const files = new Set((JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const f of [
      "bin/mpstack.mjs",
      "dist/mpstack.mjs",
      "dist/index.js",
      "dist/index.d.ts",
      "node_modules/@mpstack/protocol/package.json",
      "node_modules/@mpstack/protocol/dist/index.js",
    ])
      expect(files.has(f), f).toBe(true);
    expect([...files].filter((f) => f.endsWith(".tsbuildinfo"))).toEqual([]);
    expect(pkg.bundleDependencies).toContain("@mpstack/protocol");
    const protocol = JSON.parse(readFileSync(join(ROOT, "packages/protocol/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const dep of Object.keys(protocol.dependencies)) expect(pkg.dependencies, dep).toHaveProperty(dep);
    // postpack removed the staged copy (it would shadow the workspace's protocol).
    expect(existsSync(join(PLATFORM, "node_modules/@mpstack/protocol"))).toBe(false);
  }, 60_000);
});
