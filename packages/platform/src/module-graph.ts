/**
 * The module graph: checks what modules declare (`requires`) and orders them so each comes after
 * what it needs. A missing module or a cycle is one clear startup error naming the modules.
 * The order is also the order of migrations, seeds and setups; `describeGraph` prints it
 * (`mpstack start --verbose`, `GET /_mpstack/modules`).
 */
import type { PlatformModule } from "./module.js";

export class ModuleGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModuleGraphError";
  }
}

/**
 * The modules in dependency order. Among modules free to go, the one listed first goes first, so
 * the order is stable and follows the list where the graph allows.
 */
export function orderModules(list: readonly PlatformModule[]): PlatformModule[] {
  const byName = new Map<string, PlatformModule>();
  for (const m of list) {
    if (byName.has(m.name)) throw new ModuleGraphError(`module "${m.name}" is listed twice`);
    byName.set(m.name, m);
  }
  for (const m of list) {
    const missing = m.requires.filter((r) => !byName.has(r));
    if (missing.length > 0) {
      throw new ModuleGraphError(
        `module "${m.name}" requires ${missing.map((r) => `"${r}"`).join(", ")}, which ${missing.length > 1 ? "are" : "is"} not loaded`,
      );
    }
  }
  const ordered: PlatformModule[] = [];
  const placed = new Set<string>();
  while (ordered.length < list.length) {
    const next = list.find((m) => !placed.has(m.name) && m.requires.every((r) => placed.has(r)));
    if (!next) throw new ModuleGraphError(`module cycle: ${findCycle(list, placed).join(" → ")}`);
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/** One cycle among the modules not yet placed, as names with the first repeated at the end. */
function findCycle(list: readonly PlatformModule[], placed: ReadonlySet<string>): string[] {
  const byName = new Map(list.map((m) => [m.name, m]));
  const start = list.find((m) => !placed.has(m.name));
  const path: string[] = [];
  let current = start;
  while (current && !path.includes(current.name)) {
    path.push(current.name);
    const next: string | undefined = current.requires.find((r) => !placed.has(r));
    current = next === undefined ? undefined : byName.get(next);
  }
  if (!current) return path;
  return [...path.slice(path.indexOf(current.name)), current.name];
}

export interface ModuleGraphEntry {
  name: string;
  requires: string[];
  /** Names of the modules that require this one. */
  requiredBy: string[];
  migrations: number;
  configSections: string[];
}

/** The graph as data, in setup order. */
export function describeGraph(ordered: readonly PlatformModule[]): ModuleGraphEntry[] {
  return ordered.map((m) => ({
    name: m.name,
    requires: [...m.requires],
    requiredBy: ordered.filter((o) => o.requires.includes(m.name)).map((o) => o.name),
    migrations: m.migrations.length,
    configSections: m.config.map((s) => s.key),
  }));
}

/** The graph as lines of text, in setup order: `menu ← accounts, push, follower-tags`. */
export function formatGraph(graph: readonly ModuleGraphEntry[]): string {
  return graph.map((m) => (m.requires.length ? `${m.name} ← ${m.requires.join(", ")}` : m.name)).join("\n");
}
