/**
 * Customer-service policies: where customer-service.md leaves WeChat's behaviour open or where it
 * changed over time, a setting with the spec's proposed default. Kept in this module's own table
 * (global scope `*`, then per account), set through `PUT /_mpstack/customer-service-policy`.
 */
import { dbCache } from "../../db/cache.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";

/**
 * The service-window rules over time (§2.1/§2.3): `current` (from 2023-06-12, default), `2021`,
 * `legacy-20` (every action 20 messages / 48 h) and `seed` (unlimited for 48 h after any action).
 */
export type WindowProfile = "current" | "2021" | "legacy-20" | "seed";

/** Who may send `msgmenu` (§3.11: verified service accounts by default, else 40200). */
export type MsgMenuAccounts = "verified_service" | "verified" | "any";

export interface CustomerServicePolicy {
  profile: WindowProfile;
  /** Longest text `content` in UTF-8 bytes (45002); no official limit, so 0 = off, the default (§3.1). */
  textMaxBytes: number;
  /** Most `news` articles (45008): 1 in the current docs, 8 in older ones (§3.6). */
  newsArticles: number;
  msgmenuAccounts: MsgMenuAccounts;
  /** Most `msgmenu.list` items (45098) and characters per item (45099): undocumented, §3.11 defaults. */
  msgmenuMaxItems: number;
  msgmenuItemMaxChars: number;
  /**
   * Mini Programs linked to the account (text links' `data-miniprogram-appid`, `miniprogrampage.appid`;
   * 45086 otherwise). Links are not modelled elsewhere yet, so `"any"` (default) treats every
   * well-formed Mini Program appid (`wx` + 16 hex) as linked.
   */
  linkedMiniPrograms: "any" | string[];
  /** How long `Typing` shows (documented: 15 s) and the interaction it needs (documented: 30 s). */
  typingSeconds: number;
  typingInteractionSeconds: number;
}

export const DEFAULT_CS_POLICY: Readonly<CustomerServicePolicy> = {
  profile: "current",
  textMaxBytes: 0,
  newsArticles: 1,
  msgmenuAccounts: "verified_service",
  msgmenuMaxItems: 10,
  msgmenuItemMaxChars: 64,
  linkedMiniPrograms: "any",
  typingSeconds: 15,
  typingInteractionSeconds: 30,
};

export const GLOBAL_SCOPE = "*";

const cache = (db: Db) => dbCache<Partial<CustomerServicePolicy>>(db, "cs_policies");

async function scopeOverrides(db: Db, scope: string): Promise<Partial<CustomerServicePolicy>> {
  const c = cache(db);
  const hit = c.get(scope);
  if (hit) return hit;
  const row = await db
    .selectFrom("cs_policies")
    .select("policy")
    .where("scope", "=", scope)
    .executeTakeFirst();
  const value = parseJsonColumn<Partial<CustomerServicePolicy>>(row?.policy, {});
  c.set(scope, value);
  return value;
}

/** The effective policy of an account: defaults, then the global overrides, then the account's. */
export async function csPolicyFor(db: Db, appid: string): Promise<CustomerServicePolicy> {
  return {
    ...DEFAULT_CS_POLICY,
    ...(await scopeOverrides(db, GLOBAL_SCOPE)),
    ...(await scopeOverrides(db, appid)),
  };
}

export async function getCsPolicyOverrides(db: Db, scope: string): Promise<Partial<CustomerServicePolicy>> {
  return { ...(await scopeOverrides(db, scope)) };
}

export type CsPolicyPatch = { [K in keyof CustomerServicePolicy]?: CustomerServicePolicy[K] | null };

/** Merge `patch` into a scope's overrides; `null` values remove an override. */
export async function setCsPolicyOverrides(
  w: World,
  scope: string,
  patch: CsPolicyPatch,
): Promise<Partial<CustomerServicePolicy>> {
  const next: Record<string, unknown> = { ...(await scopeOverrides(w.db, scope)) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  const text = JSON.stringify(next);
  const now = w.clock.now();
  await w.db
    .insertInto("cs_policies")
    .values({ scope, policy: text, updated_at: now })
    .onConflict((oc) => oc.column("scope").doUpdateSet({ policy: text, updated_at: now }))
    .execute();
  cache(w.db).delete(scope);
  return next as Partial<CustomerServicePolicy>;
}
