/**
 * Chat records (spec/customer-service.md §7): every message a worker sends (2002) or receives
 * (2003), numbered per account from 1 (a counter row, locked by its update, keeps concurrent writers
 * apart), and the paged read of msgrecord/getmsglist. Media appear as `[image]`, `[voice]`, `[video]`.
 */
import type { InboundPayload } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";

export const KF_SENT = 2002;
export const KF_RECEIVED = 2003;

/** The record text of a user's message (documented for media; location and link are our choice). */
export function inboundText(m: InboundPayload): string {
  switch (m.MsgType) {
    case "text":
      return "Content" in m && typeof m.Content === "string" ? m.Content : "";
    case "image":
      return "[image]";
    case "voice":
      return "[voice]";
    case "video":
    case "shortvideo":
      return "[video]";
    default:
      return `[${m.MsgType}]`;
  }
}

/** The record text of a message sent to the user (custom/send body or a worker's text). */
export function outboundText(message: { msgtype: string; text?: { content: string } }): string {
  if (message.msgtype === "text") return message.text?.content ?? "";
  return `[${message.msgtype}]`;
}

export interface NewRecord {
  openid: string;
  worker: string;
  opercode: number;
  text: string;
  /** Unix seconds. */
  time: number;
}

/** Append records (call inside a transaction when they go with other writes). */
export async function appendRecords(db: Db, appid: string, records: NewRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto("kf_record_seq")
    .values({ appid, next: 1 })
    .onConflict((oc) => oc.column("appid").doNothing())
    .execute();
  const taken = await db
    .updateTable("kf_record_seq")
    .set((eb) => ({ next: eb("next", "+", records.length) }))
    .where("appid", "=", appid)
    .returning("next")
    .executeTakeFirstOrThrow();
  const first = Number(taken.next) - records.length;
  await db
    .insertInto("kf_records")
    .values(records.map((r, i) => ({ appid, msgid: first + i, ...r })))
    .execute();
}

/** Append one record in its own transaction. */
export async function appendRecord(db: Db, appid: string, record: NewRecord): Promise<void> {
  await db.transaction().execute((tx) => appendRecords(tx, appid, [record]));
}

/** Records with msgid ≥ `msgid` inside [start, end] (seconds), at most `number`, in msgid order. */
export async function recordsPage(
  db: Db,
  appid: string,
  q: { start: number; end: number; msgid: number; number: number },
) {
  const rows = await db
    .selectFrom("kf_records")
    .selectAll()
    .where("appid", "=", appid)
    .where("msgid", ">=", q.msgid)
    .where("time", ">=", q.start)
    .where("time", "<=", q.end)
    .orderBy("msgid")
    .limit(q.number)
    .execute();
  const last = rows.at(-1);
  return {
    recordlist: rows.map((r) => ({
      openid: r.openid,
      opercode: r.opercode,
      text: r.text,
      time: Number(r.time),
      worker: r.worker,
    })),
    number: rows.length,
    msgid: last ? Number(last.msgid) + 1 : q.msgid,
  };
}
