/**
 * In-memory caches tied to one database instance (accounts by appid, tokens by value). Each
 * platform has its own Kysely instance, so two platforms in one process never share a cache.
 * Reset and import clear every cache of the database they replace.
 */
import type { Db } from "./schema.js";

const caches = new WeakMap<Db, Map<string, Map<string, unknown>>>();

/** The cache named `name` of database `db` (created empty on first use). */
export function dbCache<V>(db: Db, name: string): Map<string, V> {
  let all = caches.get(db);
  if (!all) {
    all = new Map();
    caches.set(db, all);
  }
  let c = all.get(name);
  if (!c) {
    c = new Map();
    all.set(name, c);
  }
  return c as Map<string, V>;
}

export function clearDbCaches(db: Db): void {
  for (const c of caches.get(db)?.values() ?? []) c.clear();
}
