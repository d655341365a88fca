/**
 * The module graph: modules are ordered by what they require; a missing module or a cycle is one
 * clear startup error; `/_mpstack/modules` shows the graph; and every import of another module's
 * code is declared in `requires` and goes through that module's index.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createPlatform, defineModule, ModuleGraphError } from "../src/index.js";
import { orderModules } from "../src/module-graph.js";
import { modules } from "../src/modules/index.js";
import { type Running, start, tempDir } from "./helpers.js";

const MODULES_DIR = fileURLToPath(new URL("../src/modules/", import.meta.url));
const SRC_DIR = fileURLToPath(new URL("../src/", import.meta.url));
/** Files above the modules: the composition root and what it exports. Everything else is core. */
const ABOVE_MODULES = new Set([
  "app.ts",
  "cli.ts",
  "config-file.ts",
  "demo-world.ts",
  "index.ts",
  "simulator-types.ts",
]);

describe("module graph", () => {
  const m = (name: string, requires: string[] = []) => defineModule({ name, requires });

  it("orders by requires, keeping the list order where free", () => {
    const ordered = orderModules([m("c", ["b"]), m("a"), m("b", ["a"]), m("d")]).map((x) => x.name);
    expect(ordered).toEqual(["a", "b", "c", "d"]);
  });

  it("names the missing module and the cycle", () => {
    expect(() => orderModules([m("menu", ["push"])])).toThrow(
      new ModuleGraphError('module "menu" requires "push", which is not loaded'),
    );
    expect(() => orderModules([m("a", ["c"]), m("b", ["a"]), m("c", ["b"]), m("d")])).toThrow(
      "module cycle: a → c → b → a",
    );
    expect(() => orderModules([m("a"), m("a")])).toThrow('module "a" is listed twice');
  });

  it("refuses to start a platform with a broken graph, before touching storage", async () => {
    const without = modules.filter((x) => x.name !== "accounts");
    await expect(createPlatform({ dataDir: tempDir(), modules: without })).rejects.toThrow(
      /requires "accounts", which is not loaded/,
    );
  });

  let r: Running | undefined;
  afterAll(() => r?.close());
  it("GET /_mpstack/modules answers every module in setup order", async () => {
    r = await start();
    const res = await r.get("/_mpstack/modules");
    const list = res.body.modules as { name: string; requires: string[]; requiredBy: string[] }[];
    expect(list.map((x) => x.name).sort()).toEqual(modules.map((x) => x.name).sort());
    const at = (name: string) => list.findIndex((x) => x.name === name);
    for (const entry of list) for (const req of entry.requires) expect(at(req)).toBeLessThan(at(entry.name));
    expect(list.find((x) => x.name === "push")?.requiredBy).toContain("menu");
  });

  it("every cross-module import is declared in requires and goes through the module's index", () => {
    const declared = new Map(modules.map((x) => [x.name, new Set(x.requires)]));
    const problems: string[] = [];
    for (const dir of readdirSync(MODULES_DIR, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      const own = declared.get(dir.name);
      if (!own) {
        problems.push(`${dir.name}: folder of no loaded module`);
        continue;
      }
      for (const file of readdirSync(join(MODULES_DIR, dir.name))) {
        if (!file.endsWith(".ts")) continue;
        const text = readFileSync(join(MODULES_DIR, dir.name, file), "utf8");
        for (const [, target, rest] of text.matchAll(/from "\.\.\/([a-z-]+)\/([^"]+)"/g)) {
          const where = `${dir.name}/${file} imports ../${target}/${rest}`;
          if (!own.has(target ?? "")) problems.push(`${where}: "${target}" is not in requires`);
          else if (rest !== "index.js") problems.push(`${where}: import from ../${target}/index.js`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("layers point one way: the core (http/, config/, db/, clock, events, …) imports no module", () => {
    const problems: string[] = [];
    const visit = (dir: string, rel: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (path !== "modules") visit(join(dir, e.name), path);
          continue;
        }
        if (!e.name.endsWith(".ts") || ABOVE_MODULES.has(path)) continue;
        const text = readFileSync(join(dir, e.name), "utf8");
        for (const [line] of text.matchAll(/from "[./]*modules\/[^"]*"/g)) problems.push(`${path}: ${line}`);
      }
    };
    visit(SRC_DIR, "");
    expect(problems).toEqual([]);
  });
});
