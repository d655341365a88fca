/**
 * What a push carries and how it is filed: fresh MsgIds, which events are system events (no user
 * looks at them: not in the conversation, replies go nowhere), a message's payload for the
 * conversation log, and the news-article limit a reply may use.
 */
import { type InboundPayload, NEWS_ARTICLE_LIMITS } from "@mpstack/protocol";
import type { PushPolicy } from "./policy.js";
import type { PushTable } from "./tables.js";

/**
 * Events no user is looking at when they are pushed (job results, verification, authorisation
 * changes): not written into the conversation, and their replies go nowhere (emulator choice).
 */
export const SYSTEM_EVENTS = new Set([
  "TEMPLATESENDJOBFINISH",
  "MASSSENDJOBFINISH",
  "PUBLISHJOBFINISH",
  "subscribe_msg_popup_event",
  "subscribe_msg_change_event",
  "subscribe_msg_sent_event",
  "qualification_verify_success",
  "qualification_verify_fail",
  "naming_verify_success",
  "naming_verify_fail",
  "annual_renew",
  "verify_expired",
  "user_info_modified",
  "user_authorization_revoke",
  "user_authorization_cancellation",
  "card_pass_check",
  "card_not_pass_check",
]);

export const ORDINARY_KINDS = new Set(["text", "image", "voice", "video", "shortvideo", "location", "link"]);

let msgIdCounter = Math.floor(Math.random() * 1_000_000);

/** A fresh 64-bit MsgId (as text): ms time × 10^6 + a counter, so ids grow and do not repeat. */
export function newMsgId(nowMs: number): string {
  msgIdCounter = (msgIdCounter + 1) % 1_000_000;
  return (BigInt(Math.max(0, Math.floor(nowMs))) * 1_000_000n + BigInt(msgIdCounter)).toString();
}

export function eventOf(m: InboundPayload): string | null {
  return "Event" in m && typeof m.Event === "string" ? m.Event : null;
}

/** The message's own fields for the conversation log (header and parser extras left out). */
export function payloadOf(m: InboundPayload): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === "raw" || k === "kind" || k === "fields" || k === "problem") continue;
    if (k === "ToUserName" || k === "FromUserName" || k === "CreateTime" || k === "MsgType") continue;
    out[k] = v;
  }
  if (m.kind === "unknown") Object.assign(out, m.fields);
  return out;
}

/** The conversation a push belongs to, as an outgoing message's address. */
export function conversationOf(row: PushTable) {
  return { appid: row.appid, userId: row.user_id, openid: row.openid, direction: "out" as const };
}

export function newsLimit(policy: PushPolicy, m: InboundPayload): number {
  if (policy.newsArticles === "10") return NEWS_ARTICLE_LIMITS.legacy;
  if (policy.newsArticles === "8") return NEWS_ARTICLE_LIMITS.other;
  return ORDINARY_KINDS.has(m.MsgType) ? NEWS_ARTICLE_LIMITS.userMessage : NEWS_ARTICLE_LIMITS.other;
}
