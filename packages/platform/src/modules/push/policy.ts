/**
 * Push policies: where callback.md leaves WeChat's behaviour open (§7), a setting with the
 * spec's proposed default. Kept in the push module's own table (global scope `*`, then per
 * account), set through `PUT /_mpstack/push-policy`.
 */
import { dbCache } from "../../db/cache.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";

export interface PushPolicy {
  /** Wait for the developer's answer this long per attempt (documented: 5 s). */
  timeoutMs: number;
  /**
   * Deliveries in total, the first included. The docs say "总共重试三次"; whether that is 3 or 1 + 3
   * deliveries is unsettled — default 3 in total (callback.md §7).
   */
  attempts: number;
  /** Pause between a failed attempt and the next (unknown — default 0: right after the timeout). */
  retryDelayMs: number;
  /** Reuse timestamp/nonce/signature on retries (unknown — default false: new values, same body). */
  reuseSignature: boolean;
  /**
   * News reply article limit: `current` = 1 for replies to a user's message, 8 otherwise (the
   * current doc, default); `8` or `10` for the older rules (callback.md §6.2).
   */
  newsArticles: "current" | "8" | "10";
  /** Wait for the handshake's echo this long (documented as "late" beyond 5 s). */
  handshakeTimeoutMs: number;
}

export const DEFAULT_PUSH_POLICY: Readonly<PushPolicy> = {
  timeoutMs: 5000,
  attempts: 3,
  retryDelayMs: 0,
  reuseSignature: false,
  newsArticles: "current",
  handshakeTimeoutMs: 5000,
};

export const GLOBAL_SCOPE = "*";

const cache = (db: Db) => dbCache<Partial<PushPolicy>>(db, "push_policies");

async function scopeOverrides(db: Db, scope: string): Promise<Partial<PushPolicy>> {
  const c = cache(db);
  const hit = c.get(scope);
  if (hit) return hit;
  const row = await db
    .selectFrom("push_policies")
    .select("policy")
    .where("scope", "=", scope)
    .executeTakeFirst();
  const value = parseJsonColumn<Partial<PushPolicy>>(row?.policy, {});
  c.set(scope, value);
  return value;
}

/** The effective policy of an account: defaults, then the global overrides, then the account's. */
export async function pushPolicyFor(db: Db, appid: string): Promise<PushPolicy> {
  return {
    ...DEFAULT_PUSH_POLICY,
    ...(await scopeOverrides(db, GLOBAL_SCOPE)),
    ...(await scopeOverrides(db, appid)),
  };
}

export async function getPolicyOverrides(db: Db, scope: string): Promise<Partial<PushPolicy>> {
  return { ...(await scopeOverrides(db, scope)) };
}

/** Merge `patch` into a scope's overrides; `null` values remove an override. */
export async function setPolicyOverrides(
  w: World,
  scope: string,
  patch: { [K in keyof PushPolicy]?: PushPolicy[K] | null },
): Promise<Partial<PushPolicy>> {
  const next: Record<string, unknown> = { ...(await scopeOverrides(w.db, scope)) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  const text = JSON.stringify(next);
  await w.db
    .insertInto("push_policies")
    .values({ scope, policy: text, updated_at: w.clock.now() })
    .onConflict((oc) => oc.column("scope").doUpdateSet({ policy: text, updated_at: w.clock.now() }))
    .execute();
  cache(w.db).delete(scope);
  return next as Partial<PushPolicy>;
}
