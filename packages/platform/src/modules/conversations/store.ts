/** The conversation log: later modules (push, customer service, mass, template) write here. */
import { randomHex } from "@mpstack/protocol";
import { CompiledQuery } from "kysely";
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

/** What every row of one bulk delivery shares (a mass send: one message, many recipients). */
export interface BulkMessage {
  appid: string;
  direction: MessageDirection;
  kind: MessageKind;
  msgType: string;
  /** The payload as JSON text (the same for every row). */
  payloadJson: string;
  msgId: string | null;
  createdAt: number;
}

const BULK_ROWS = 2000;
const BULK_COLUMNS = "id, user_id, openid, appid, direction, kind, msg_type, payload, msg_id, created_at";

/**
 * Record `m` for each recipient with multi-row INSERTs, inside the caller's transaction (`db` may be
 * one): a mass send commits its rows together with its own progress, so a crash keeps both or
 * neither. Emits nothing (the caller announces progress); with `collect` it answers the rows, for
 * the caller to emit `conversation.message` after its commit.
 */
export async function recordBulkMessages(
  db: Db,
  postgres: boolean,
  m: BulkMessage,
  recipients: readonly { userId: string; openid: string }[],
  collect = false,
): Promise<ConversationMessage[]> {
  const shared = [m.appid, m.direction, m.kind, m.msgType, m.payloadJson, m.msgId, m.createdAt];
  const saved: ConversationMessage[] = [];
  for (let at = 0; at < recipients.length; at += BULK_ROWS) {
    const part = recipients.slice(at, at + BULK_ROWS);
    const ids = part.map(() => newMessageId(m.createdAt));
    if (postgres) {
      await db.executeQuery(
        CompiledQuery.raw(
          `insert into messages (${BULK_COLUMNS}) select u.id, u.user_id, u.openid, $1, $2, $3, $4, $5, $6, $7::bigint from unnest($8::text[], $9::text[], $10::text[]) as u(id, user_id, openid)`,
          [...shared, ids, part.map((r) => r.userId), part.map((r) => r.openid)],
        ),
      );
    } else {
      const cells: unknown[] = [...shared];
      for (let i = 0; i < part.length; i++) cells.push(ids[i], part[i]?.userId, part[i]?.openid);
      await db.executeQuery(
        CompiledQuery.raw(
          `insert into messages (${BULK_COLUMNS}) select column1, column2, column3, ?, ?, ?, ?, ?, ?, ? from (values ${bulkValues(part.length)})`,
          cells,
        ),
      );
    }
    if (collect) {
      const payload = parseJsonColumn<unknown>(m.payloadJson, null);
      for (let i = 0; i < part.length; i++) {
        const r = part[i] as { userId: string; openid: string };
        saved.push({
          id: ids[i] ?? "",
          appid: m.appid,
          userId: r.userId,
          openid: r.openid,
          direction: m.direction,
          kind: m.kind,
          msgType: m.msgType,
          payload,
          msgId: m.msgId,
          createdAt: m.createdAt,
        });
      }
    }
  }
  return saved;
}

const valuesTexts = new Map<number, string>();
function bulkValues(rows: number): string {
  let text = valuesTexts.get(rows);
  if (text === undefined) {
    text = Array(rows).fill("(?, ?, ?)").join(", ");
    if (valuesTexts.size < 16) valuesTexts.set(rows, text);
  }
  return text;
}
