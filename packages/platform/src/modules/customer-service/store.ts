/**
 * Delivery of customer-service messages and the typing indicator (customer-service.md §2.3, §3.13, §4).
 * Reads the conversations module's `messages` table directly for the last interaction: that module
 * has no "latest message" query.
 */
import type { Db, Tx } from "../../db/schema.js";
import { PlatformEvents } from "../../events.js";
import type { World } from "../../world.js";
import { type ConversationMessage, recordMessage } from "../conversations/index.js";
import type { WindowProfile } from "./policy.js";
import type { CustomMessageContent, TextLink } from "./validate.js";
import { consumeWindow, type Grant } from "./window-grants.js";

/** What lands in the conversation (kind `customer_service`, msgType = msgtype). */
export type CustomerServicePayload = CustomMessageContent & {
  /** The anchors of a text message (web, Mini Program and menu-style links). */
  links?: TextLink[];
  /** The window grant the message was counted against. */
  window: { scene: Grant["scene"]; used: number; limit: number | null };
};

export interface Recipient {
  appid: string;
  userId: string;
  openid: string;
}

/**
 * Count the message against the user's window and deliver it, in one transaction; the user's typing
 * indicator ends (§4). Answers the failure reason when the window does not allow it.
 */
export async function deliverCustomMessage(
  w: World,
  to: Recipient,
  message: CustomMessageContent,
  links: TextLink[],
  profile: WindowProfile,
): Promise<{ ok: true; saved: ConversationMessage } | { ok: false; reason: "no_window" | "count_used_up" }> {
  const raised: ConversationMessage[] = [];
  const events = new PlatformEvents();
  events.on("conversation.message", (m) => raised.push(m));
  const now = w.clock.now();
  const result = await w.db.transaction().execute(async (tx) => {
    const taken = await consumeWindow(tx, to.appid, to.userId, profile, now);
    if (!taken.ok) return taken;
    const payload: CustomerServicePayload = {
      ...message,
      ...(message.msgtype === "text" ? { links } : {}),
      window: { scene: taken.grant.scene, used: taken.grant.used, limit: taken.grant.limit },
    };
    const saved = await recordMessage(
      { db: tx, clock: w.clock, events },
      {
        ...to,
        direction: "out",
        kind: "customer_service",
        msgType: message.msgtype,
        payload,
      },
    );
    await clearTyping(tx, to.appid, to.userId);
    return { ok: true as const, saved };
  });
  // Listeners hear about the message once it is committed.
  for (const m of raised) w.events.emit("conversation.message", m);
  return result;
}

/** The latest message either way (not events or platform notices), ms; `null` when none. */
export async function lastInteractionAt(db: Db, appid: string, userId: string): Promise<number | null> {
  const row = await db
    .selectFrom("messages")
    .select("created_at")
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .where("kind", "not in", ["event", "system"])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? row.created_at : null;
}

export interface TypingState {
  typing: boolean;
  /** ms, while typing. */
  startedAt: number | null;
  typingUntil: number | null;
}

export async function typingState(db: Db, appid: string, userId: string, now: number): Promise<TypingState> {
  const row = await db
    .selectFrom("cs_typing")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row || row.typing_until <= now) return { typing: false, startedAt: null, typingUntil: null };
  return { typing: true, startedAt: row.started_at, typingUntil: row.typing_until };
}

export async function startTyping(db: Db, to: Recipient, now: number, seconds: number): Promise<void> {
  const values = { started_at: now, typing_until: now + seconds * 1000, openid: to.openid };
  await db
    .insertInto("cs_typing")
    .values({ appid: to.appid, user_id: to.userId, ...values })
    .onConflict((oc) => oc.columns(["appid", "user_id"]).doUpdateSet(values))
    .execute();
}

export async function clearTyping(db: Db | Tx, appid: string, userId: string): Promise<void> {
  await db.deleteFrom("cs_typing").where("appid", "=", appid).where("user_id", "=", userId).execute();
}
