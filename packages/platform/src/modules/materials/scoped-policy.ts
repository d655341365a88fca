/**
 * A policy kept as data (spec README: unsure behaviour is a setting with the proposed default):
 * defaults, then the global overrides (scope `*`), then an account's own, stored as JSON in a
 * `(scope, policy, updated_at)` table of the owning module and cached per database. The materials
 * and mass modules each keep theirs with it.
 */
import type { Kysely } from "kysely";
import { dbCache } from "../../db/cache.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { MaterialPolicyTable } from "./tables.js";

export const GLOBAL_SCOPE = "*";

export type PolicyPatch<T> = { [K in keyof T]?: T[K] | null };

export interface ScopedPolicies<T extends object> {
  readonly defaults: Readonly<T>;
  /** Defaults, then the global overrides, then the account's. */
  effective(db: Db, appid: string): Promise<T>;
  overrides(db: Db, scope: string): Promise<Partial<T>>;
  /** Merge `patch` into a scope's overrides; `null` removes an override. */
  set(w: World, scope: string, patch: PolicyPatch<T>): Promise<Partial<T>>;
}

export function scopedPolicies<T extends object>(table: string, defaults: T): ScopedPolicies<T> {
  type PolicyDb = Kysely<Record<string, MaterialPolicyTable>>;
  const cache = (db: Db) => dbCache<Partial<T>>(db, table);
  const overrides = async (db: Db, scope: string): Promise<Partial<T>> => {
    const hit = cache(db).get(scope);
    if (hit) return hit;
    const row = await (db as unknown as PolicyDb)
      .selectFrom(table)
      .select("policy")
      .where("scope", "=", scope)
      .executeTakeFirst();
    const value = parseJsonColumn<Partial<T>>(row?.policy, {});
    cache(db).set(scope, value);
    return value;
  };
  return {
    defaults,
    async effective(db, appid) {
      return { ...defaults, ...(await overrides(db, GLOBAL_SCOPE)), ...(await overrides(db, appid)) };
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
      await (w.db as unknown as PolicyDb)
        .insertInto(table)
        .values({ scope, policy: text, updated_at: now })
        .onConflict((oc) => oc.column("scope").doUpdateSet({ policy: text, updated_at: now }))
        .execute();
      cache(w.db).delete(scope);
      return next as Partial<T>;
    },
  };
}
