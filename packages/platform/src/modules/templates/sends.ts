/**
 * Template sends (spec/template.md §7–§8): the daily count, the anti-re-entry id, delivery into the
 * follower's conversation (kind `template`) unless the user refuses the account's template messages
 * or the send is intercepted or failed by injection, and the rows queryblocktmplmsg reads.
 */
import { cstDay } from "../../clock.js";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import { inWorldTransaction } from "../../world-transaction.js";
import { recordMessage } from "../conversations/index.js";
import type { TemplatePolicy } from "./policy.js";
import { cardText, type TemplateCard } from "./render.js";

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;

let counter = Math.floor(Math.random() * 100_000);

/**
 * A fresh msgid: Unix seconds × 10^5 + a counter. WeChat's are 64-bit and may pass 2^53; ours stay
 * below it (about 1.7 × 10^14) so JSON numbers carry them exactly (emulator decision).
 */
export function newTemplateMsgId(nowMs: number): number {
  counter = (counter + 1) % 100_000;
  return Math.floor(nowMs / 1000) * 100_000 + counter;
}

/** Successful sends of the account today (UTC+8). */
export async function sendsToday(db: Db, appid: string, now: number): Promise<number> {
  const dayStart = cstDay(now) * DAY_MS - CST_OFFSET_MS;
  const row = await db
    .selectFrom("tmpl_sends")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("appid", "=", appid)
    .where("created_at", ">=", dayStart)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The msgid of an earlier send with this client_msg_id to this user inside the window, if any. */
export async function earlierSend(
  db: Db,
  appid: string,
  openid: string,
  clientMsgId: string,
  since: number,
): Promise<number | null> {
  const row = await db
    .selectFrom("tmpl_sends")
    .select("msgid")
    .where("appid", "=", appid)
    .where("openid", "=", openid)
    .where("client_msg_id", "=", clientMsgId)
    .where("created_at", ">=", since)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.msgid) : null;
}

export async function refusesTemplates(db: Db, appid: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("tmpl_user_blocks")
    .select("user_id")
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function setRefusesTemplates(w: World, appid: string, userId: string, refuse: boolean) {
  if (!refuse) {
    await w.db
      .deleteFrom("tmpl_user_blocks")
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .execute();
    return;
  }
  await w.db
    .insertInto("tmpl_user_blocks")
    .values({ appid, user_id: userId, created_at: w.clock.now() })
    .onConflict((oc) => oc.columns(["appid", "user_id"]).doNothing())
    .execute();
}

export interface TemplateSend {
  appid: string;
  userId: string;
  openid: string;
  templateId: string;
  clientMsgId: string | null;
  card: TemplateCard;
  /** The data as sent (kept in the conversation beside the card). */
  data: Record<string, { value: string; color?: string }>;
}

export type SendStatus = "delivered" | "blocked" | "intercepted" | "failed";

export interface SendOutcome {
  msgid: number;
  status: SendStatus;
  /** What TEMPLATESENDJOBFINISH will carry. */
  eventStatus: string;
}

/** How a send ends: injected failure, marketing interception, the user's refusal, else delivery. */
export function outcomeOf(policy: TemplatePolicy, templateId: string, refuses: boolean) {
  if (policy.injectStatus) return { status: "failed" as const, eventStatus: policy.injectStatus };
  if (policy.interceptTemplateIds.includes(templateId))
    return { status: "intercepted" as const, eventStatus: "failed: system failed" };
  if (refuses) return { status: "blocked" as const, eventStatus: "failed:user block" };
  return { status: "delivered" as const, eventStatus: "success" };
}

/** Record the send and, when it is delivered, the card in the conversation — in one transaction. */
export async function saveSend(
  w: World,
  s: TemplateSend,
  outcome: { status: SendStatus; eventStatus: string },
): Promise<SendOutcome> {
  const now = w.clock.now();
  const msgid = newTemplateMsgId(now);
  await inWorldTransaction(w, async (tw) => {
    await tw.db
      .insertInto("tmpl_sends")
      .values({
        msgid,
        appid: s.appid,
        user_id: s.userId,
        openid: s.openid,
        template_id: s.templateId,
        client_msg_id: s.clientMsgId,
        status: outcome.status,
        event_status: outcome.eventStatus,
        title: s.card.title,
        content: cardText(s.card),
        created_at: now,
      })
      .execute();
    if (outcome.status !== "delivered") return;
    await recordMessage(tw, {
      appid: s.appid,
      userId: s.userId,
      openid: s.openid,
      direction: "out",
      kind: "template",
      msgType: "template",
      msgId: String(msgid),
      payload: { template_id: s.templateId, ...s.card, data: s.data },
    });
  });
  return { msgid, ...outcome };
}

/** Intercepted sends of one template, after `largestId`, oldest first (queryblocktmplmsg). */
export async function interceptedSends(
  db: Db,
  appid: string,
  templateId: string,
  largestId: number,
  limit: number,
) {
  const rows = await db
    .selectFrom("tmpl_sends")
    .selectAll()
    .where("appid", "=", appid)
    .where("template_id", "=", templateId)
    .where("status", "=", "intercepted")
    .where("msgid", ">", largestId)
    .orderBy("msgid")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.msgid),
    tmpl_msg_id: r.template_id,
    title: r.title,
    content: r.content,
    send_timestamp: Math.floor(r.created_at / 1000),
    openid: r.openid,
  }));
}
