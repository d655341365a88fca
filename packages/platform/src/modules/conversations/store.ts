/** The conversation log: later modules (push, customer service, mass, template) write here. */

import { randomHex } from "@mpstack/protocol";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { MessageTable } from "./tables.js";

export type MessageDirection = "in" | "out";
/** Open set: the known kinds, or any other string a later module needs. */
export type MessageKind =
  | "message"
  | "event"
  | "passive"
  | "customer_service"
  | "mass"
  | "template"
  | "subscribe_once"
  | (string & {});

export interface ConversationMessage {
  id: string;
  appid: string;
  userId: string;
  openid: string;
  direction: MessageDirection;
  kind: MessageKind;
  msgType: string;
  payload: unknown;
  msgId: string | null;
  /** ms */
  createdAt: number;
}

/** A message to record: the id is made on recording; `createdAt` defaults to the clock's now. */
export type NewMessage = Omit<ConversationMessage, "id" | "msgId" | "createdAt"> & {
  msgId?: string | null;
  createdAt?: number;
};

let counter = 0;

/** Time-ordered ids: 13-digit ms, a counter, and random bits. */
export function newMessageId(nowMs: number): string {
  counter = (counter + 1) % 1_000_000;
  return `m${String(Math.max(0, nowMs)).padStart(13, "0")}${String(counter).padStart(6, "0")}${randomHex(6)}`;
}

function fromRow(r: MessageTable): ConversationMessage {
  return {
    id: r.id,
    appid: r.appid,
    userId: r.user_id,
    openid: r.openid,
    direction: r.direction as MessageDirection,
    kind: r.kind,
    msgType: r.msg_type,
    payload: parseJsonColumn<unknown>(r.payload, null),
    msgId: r.msg_id,
    createdAt: r.created_at,
  };
}

function toRow(m: NewMessage, now: number): MessageTable {
  const createdAt = m.createdAt ?? now;
  return {
    id: newMessageId(createdAt),
    appid: m.appid,
    user_id: m.userId,
    openid: m.openid,
    direction: m.direction,
    kind: m.kind,
    msg_type: m.msgType,
    payload: JSON.stringify(m.payload ?? null),
    msg_id: m.msgId ?? null,
    created_at: createdAt,
  };
}

/** Record one message (committed before this returns), then emit `conversation.message`. */
export async function recordMessage(w: World, m: NewMessage): Promise<ConversationMessage> {
  const row = toRow(m, w.clock.now());
  await w.db.insertInto("messages").values(row).execute();
  const saved = fromRow(row);
  w.events.emit("conversation.message", saved);
  return saved;
}

/** Record many messages in one transaction (mass sends). */
export async function recordMessages(w: World, list: NewMessage[]): Promise<void> {
  if (list.length === 0) return;
  const now = w.clock.now();
  const rows = list.map((m) => toRow(m, now));
  await w.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 100)
      await trx
        .insertInto("messages")
        .values(rows.slice(i, i + 100))
        .execute();
  });
  for (const r of rows) w.events.emit("conversation.message", fromRow(r));
}

/** A user's conversation with an account, oldest first; page with `after` (a message id). */
export async function listConversation(
  db: Db,
  appid: string,
  userId: string,
  opts: { after?: string; limit?: number } = {},
): Promise<ConversationMessage[]> {
  let q = db.selectFrom("messages").selectAll().where("appid", "=", appid).where("user_id", "=", userId);
  if (opts.after) q = q.where("id", ">", opts.after);
  const rows = await q
    .orderBy("id")
    .limit(Math.min(opts.limit ?? 100, 1000))
    .execute();
  return rows.map(fromRow);
}
