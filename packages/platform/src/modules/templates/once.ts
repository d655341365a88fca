/**
 * One-time subscription messages (spec/template.md §9): the account's one-time template id, the
 * grants a user's "allow" creates (one per account, user and scene — set, not added up), their use
 * by template/subscribe, and delivery (followers: the chat; others: Service Notifications).
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import { inWorldTransaction } from "../../world-transaction.js";
import { recordMessage } from "../conversations/index.js";

/**
 * The account's one-time subscription template id (one per account, shown in the console's
 * permission list): derived from the appid, so the same world gives the same id everywhere.
 */
export function onceTemplateId(appid: string): string {
  return createHash("sha256").update(`mpstack:subscribe-once:${appid}`).digest("base64url").slice(0, 43);
}

export const SCENE_MAX = 10_000;

/** A scene value 0–10000 from `"1000"` or `1000`; null when it is not one. */
export function sceneOf(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,5}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= SCENE_MAX ? n : null;
}

export async function grantOnce(
  w: World,
  g: { appid: string; userId: string; openid: string; scene: number; templateId: string },
): Promise<void> {
  const values = { openid: g.openid, template_id: g.templateId, granted_at: w.clock.now() };
  await w.db
    .insertInto("tmpl_once_grants")
    .values({ appid: g.appid, user_id: g.userId, scene: g.scene, ...values })
    .onConflict((oc) => oc.columns(["appid", "user_id", "scene"]).doUpdateSet(values))
    .execute();
}

export async function hasOnceGrant(db: Db, appid: string, userId: string, scene: number): Promise<boolean> {
  const row = await db
    .selectFrom("tmpl_once_grants")
    .select("scene")
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .where("scene", "=", scene)
    .executeTakeFirst();
  return row !== undefined;
}

export async function onceGrantsOf(db: Db, appid: string, userId: string) {
  const rows = await db
    .selectFrom("tmpl_once_grants")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .orderBy("scene")
    .execute();
  return rows.map((r) => ({ scene: r.scene, templateId: r.template_id, grantedAt: r.granted_at }));
}

export interface OnceMessage {
  appid: string;
  userId: string;
  openid: string;
  /** Followers see it in the chat, others in Service Notifications. */
  following: boolean;
  scene: number;
  payload: Record<string, unknown>;
}

/** Use the grant and deliver, in one transaction; false when the grant is gone (used or never given). */
export async function useGrantAndDeliver(w: World, m: OnceMessage): Promise<boolean> {
  const used = await inWorldTransaction(w, async (tw) => {
    const r = await tw.db
      .deleteFrom("tmpl_once_grants")
      .where("appid", "=", m.appid)
      .where("user_id", "=", m.userId)
      .where("scene", "=", m.scene)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await recordMessage(tw, {
      appid: m.appid,
      userId: m.userId,
      openid: m.openid,
      direction: "out",
      kind: "subscribe_once",
      msgType: "subscribe_once",
      payload: { ...m.payload, scene: m.scene, channel: m.following ? "chat" : "service_notifications" },
    });
    return true;
  });
  return used;
}
