/**
 * The service window (customer-service.md §2.3). The push module records the latest action of each
 * scene (`windowOpeners`); each is a grant of `limit` messages valid `validity` after the action,
 * per the rule profile. A newer action of a scene replaces its grant ("quotas do not accumulate"):
 * the count kept here belongs to one `opened_at` and starts again at 0 for the next.
 */
import type { Db, Tx } from "../../db/schema.js";
import { type WindowScene, windowOpeners } from "../push/index.js";
import type { WindowProfile } from "./policy.js";

export interface SceneRule {
  /** Messages per grant; `null` = unlimited. */
  count: number | null;
  validitySeconds: number;
}

const H48 = 48 * 3600;
const MINUTE = 60;
const each = (rule: SceneRule): Record<WindowScene, SceneRule> => ({
  user_message: rule,
  menu_click: rule,
  subscribe: rule,
  scan: rule,
});

/**
 * §2.1's table. `payment` (20 / 48 h in 2021, unlimited now) is not listed: the platform has no
 * simulated payment yet, so nothing opens that scene.
 */
export const WINDOW_PROFILES: Record<WindowProfile, Record<WindowScene, SceneRule>> = {
  current: {
    user_message: { count: 5, validitySeconds: H48 },
    menu_click: { count: 3, validitySeconds: MINUTE },
    subscribe: { count: 3, validitySeconds: MINUTE },
    scan: { count: 3, validitySeconds: MINUTE },
  },
  "2021": {
    user_message: { count: 20, validitySeconds: H48 },
    menu_click: { count: 3, validitySeconds: MINUTE },
    subscribe: { count: 3, validitySeconds: MINUTE },
    scan: { count: 3, validitySeconds: MINUTE },
  },
  "legacy-20": each({ count: 20, validitySeconds: H48 }),
  // One unlimited grant until 48 h after the latest action: the same as every scene unlimited for 48 h.
  seed: each({ count: null, validitySeconds: H48 }),
};

export interface Grant {
  scene: WindowScene;
  /** ms */
  openedAt: number;
  /** ms */
  expiresAt: number;
  limit: number | null;
  used: number;
  /** `null` = unlimited. */
  remaining: number | null;
}

/** Every grant of a user, expired ones included, earliest expiry first. */
export async function grantsOf(
  db: Db,
  appid: string,
  userId: string,
  profile: WindowProfile,
): Promise<Grant[]> {
  const rules = WINDOW_PROFILES[profile];
  const [openers, usage] = await Promise.all([
    windowOpeners(db, appid, userId),
    db
      .selectFrom("cs_window_usage")
      .selectAll()
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .execute(),
  ]);
  const grants = openers.map((o): Grant => {
    const rule = rules[o.scene];
    const u = usage.find((r) => r.scene === o.scene && r.opened_at === o.openedAt);
    const used = u?.used ?? 0;
    return {
      scene: o.scene,
      openedAt: o.openedAt,
      expiresAt: o.openedAt + rule.validitySeconds * 1000,
      limit: rule.count,
      used,
      remaining: rule.count === null ? null : Math.max(0, rule.count - used),
    };
  });
  return grants.sort((a, b) => a.expiresAt - b.expiresAt || a.scene.localeCompare(b.scene));
}

export const liveGrants = (grants: Grant[], now: number): Grant[] => grants.filter((g) => g.expiresAt > now);

/**
 * Count one message against the first live grant with room (earliest expiry first): `45015` when no
 * grant is live, `45047` when every live grant is used up. Counted with conditional writes, so two
 * concurrent sends never both take a grant's last message.
 */
export async function consumeWindow(
  tx: Tx,
  appid: string,
  userId: string,
  profile: WindowProfile,
  now: number,
): Promise<{ ok: true; grant: Grant } | { ok: false; reason: "no_window" | "count_used_up" }> {
  const live = liveGrants(await grantsOf(tx, appid, userId, profile), now);
  if (live.length === 0) return { ok: false, reason: "no_window" };
  for (const g of live) {
    if (g.remaining === 0) continue;
    if (await take(tx, appid, userId, g)) return { ok: true, grant: { ...g, used: g.used + 1 } };
  }
  return { ok: false, reason: "count_used_up" };
}

async function take(tx: Tx, appid: string, userId: string, g: Grant): Promise<boolean> {
  const increment = async () => {
    let q = tx
      .updateTable("cs_window_usage")
      .set((eb) => ({ used: eb("used", "+", 1) }))
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .where("scene", "=", g.scene)
      .where("opened_at", "=", g.openedAt);
    if (g.limit !== null) q = q.where("used", "<", g.limit);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  };
  if (await increment()) return true;
  // No row for this grant yet (first message, or the scene was refreshed): start its count at 1.
  const r = await tx
    .insertInto("cs_window_usage")
    .values({ appid, user_id: userId, scene: g.scene, opened_at: g.openedAt, used: 1 })
    .onConflict((oc) =>
      oc
        .columns(["appid", "user_id", "scene"])
        .doUpdateSet({ opened_at: g.openedAt, used: 1 })
        .where("cs_window_usage.opened_at", "<>", g.openedAt),
    )
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  // Another send created the row in between: try the counted path once more.
  return increment();
}
