/**
 * Module policies kept in a module's own table (`scope` = `*` for global or an appid, `policy` =
 * a JSON object of overrides): the effective policy of an account is the defaults, then the global
 * overrides, then the account's. A module owns its table (shape `PolicyRow`) and makes one store
 * with `scopedPolicies(table, defaults)`; reads are cached per database and dropped on writes.
 */
import type { Kysely } from "kysely";
import type { World } from "../world.js";
import { dbCache } from "./cache.js";
import { type Database, type Db, parseJsonColumn } from "./schema.js";

/** The columns of a policy table. */
export interface PolicyRow {
  scope: string;
  policy: string;
  updated_at: number;
}

type PolicyTableName = {
  [K in keyof Database]: Database[K] extends PolicyRow ? K : never;
}[keyof Database];

export const GLOBAL_POLICY_SCOPE = "*";

/** A patch: a value sets an override, `null` removes it. */
export type PolicyPatch<T> = { [K in keyof T]?: T[K] | null };

export interface ScopedPolicies<T extends object> {
  readonly defaults: Readonly<T>;
  /** Defaults, then global overrides, then the account's. */
  of(db: Db, appid: string): Promise<T>;
  /** The overrides of one scope (`*` or an appid). */
  overrides(db: Db, scope: string): Promise<Partial<T>>;
  set(w: World, scope: string, patch: PolicyPatch<T>): Promise<Partial<T>>;
}

export function scopedPolicies<T extends object>(table: PolicyTableName, defaults: T): ScopedPolicies<T> {
  // One table name, one row shape: the generic Kysely view of it.
  const view = (db: Db) => db as unknown as Kysely<Record<string, PolicyRow>>;
  const cache = (db: Db) => dbCache<Partial<T>>(db, `policies:${table}`);
  const overrides = async (db: Db, scope: string): Promise<Partial<T>> => {
    const c = cache(db);
    const hit = c.get(scope);
    if (hit) return hit;
    const row = await view(db)
      .selectFrom(table)
      .select("policy")
      .where("scope", "=", scope)
      .executeTakeFirst();
    const value = parseJsonColumn<Partial<T>>(row?.policy, {});
    c.set(scope, value);
    return value;
  };
  return {
    defaults,
    async of(db, appid) {
      return { ...defaults, ...(await overrides(db, GLOBAL_POLICY_SCOPE)), ...(await overrides(db, appid)) };
    },
    async overrides(db, scope) {
      return { ...(await overrides(db, scope)) };
    },
    async set(w, scope, patch) {
      const next: Record<string, unknown> = { ...(await overrides(w.db, scope)) };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete next[k];
        else if (v !== undefined) next[k] = v;
      }
      const text = JSON.stringify(next);
      const now = w.clock.now();
      await view(w.db)
        .insertInto(table)
        .values({ scope, policy: text, updated_at: now })
        .onConflict((oc) => oc.column("scope").doUpdateSet({ policy: text, updated_at: now }))
        .execute();
      cache(w.db).delete(scope);
      return next as Partial<T>;
    },
  };
}
