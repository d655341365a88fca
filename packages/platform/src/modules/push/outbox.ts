/**
 * The durable outbox: a push row is committed before the first attempt, each attempt is committed
 * when it ends (the last one together with the push's final state), and pending pushes are found
 * again on start. Reads build the views of `GET /_mpstack/pushes`.
 */
import { randomBytes } from "node:crypto";
import type { Reply } from "@mpstack/protocol";
import { type Db, parseJsonColumn, type Tx } from "../../db/schema.js";
import type { AttemptOutcome } from "./judge.js";
import type { PushAttemptTable, PushTable } from "./tables.js";

/**
 * `blocked`: the account blacklisted the user, nothing was pushed. `customer_service`: the user is in
 * a customer-service session; the message went to the worker, not to the server.
 */
export type PushStatus =
  | "replied"
  | "empty"
  | "failed"
  | "no_server"
  | "blocked"
  | "pending"
  | "customer_service";

export interface PushAttemptRecord {
  attempt: number;
  /** ms (platform clock) */
  startedAt: number;
  latencyMs: number;
  request: { url: string; query: Record<string, string>; body: string };
  response?: { status: number; body: string };
  outcome: AttemptOutcome;
  error?: string;
}

/** What is kept of an answer's body in the record. */
const KEPT_RESPONSE_CHARS = 64 * 1024;

let counter = Math.floor(Math.random() * 1_000_000);
/** Random per process: ids made in the same ms by two processes (or runs) still differ. */
const PROCESS_TAG = randomBytes(3).toString("hex");

/** Time-ordered push ids: `p` + 13-digit ms + counter + a per-process tag. */
export function newPushId(nowMs: number): string {
  counter = (counter + 1) % 1_000_000;
  return `p${String(Math.max(0, nowMs)).padStart(13, "0")}${String(counter).padStart(6, "0")}${PROCESS_TAG}`;
}

export async function insertPush(db: Db | Tx, row: PushTable): Promise<void> {
  await db.insertInto("pushes").values(row).execute();
}

function attemptRow(pushId: string, a: PushAttemptRecord): PushAttemptTable {
  return {
    push_id: pushId,
    attempt: a.attempt,
    started_at: a.startedAt,
    latency_ms: a.latencyMs,
    url: a.request.url,
    query: JSON.stringify(a.request.query),
    body: a.request.body,
    status: a.response?.status ?? null,
    response: a.response ? a.response.body.slice(0, KEPT_RESPONSE_CHARS) : null,
    outcome: a.outcome,
    error: a.error ?? null,
  };
}

function attemptFromRow(r: PushAttemptTable): PushAttemptRecord {
  const a: PushAttemptRecord = {
    attempt: r.attempt,
    startedAt: r.started_at,
    latencyMs: r.latency_ms,
    request: { url: r.url, query: parseJsonColumn<Record<string, string>>(r.query, {}), body: r.body },
    outcome: r.outcome as AttemptOutcome,
  };
  if (r.status !== null) a.response = { status: r.status, body: r.response ?? "" };
  if (r.error !== null) a.error = r.error;
  return a;
}

export interface FinalState {
  status: Exclude<PushStatus, "pending">;
  reply: Reply | null;
  notice: string | null;
}

/**
 * Record one attempt (and, for the last one, the push's final state); run it in a transaction with
 * whatever must land with it (`alongside`). Returns false when the push row is gone (the world was
 * reset meanwhile): nothing is written then.
 */
export async function saveAttempt(
  db: Db | Tx,
  pushId: string,
  a: PushAttemptRecord,
  now: number,
  final?: FinalState,
  alongside?: () => Promise<void>,
): Promise<boolean> {
  const changed = await db
    .updateTable("pushes")
    .set({
      attempts: a.attempt,
      updated_at: now,
      ...(final
        ? {
            status: final.status,
            reply: final.reply ? JSON.stringify(final.reply) : null,
            notice: final.notice,
            finished_at: now,
          }
        : {}),
    })
    .where("id", "=", pushId)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return false;
  await db.insertInto("push_attempts").values(attemptRow(pushId, a)).execute();
  await alongside?.();
  return true;
}

/** End a push without a new attempt (e.g. its server was removed while it waited). */
export async function finishPush(db: Db, pushId: string, now: number, final: FinalState): Promise<void> {
  await db
    .updateTable("pushes")
    .set({
      status: final.status,
      reply: final.reply ? JSON.stringify(final.reply) : null,
      notice: final.notice,
      updated_at: now,
      finished_at: now,
    })
    .where("id", "=", pushId)
    .execute();
}

export async function attemptsOf(db: Db, pushId: string): Promise<PushAttemptRecord[]> {
  const rows = await db
    .selectFrom("push_attempts")
    .selectAll()
    .where("push_id", "=", pushId)
    .orderBy("attempt")
    .execute();
  return rows.map(attemptFromRow);
}

export async function getPushRow(db: Db, id: string): Promise<PushTable | undefined> {
  return db.selectFrom("pushes").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function pendingPushes(db: Db): Promise<PushTable[]> {
  return db.selectFrom("pushes").selectAll().where("status", "=", "pending").orderBy("id").execute();
}

export interface PushView {
  id: string;
  appid: string;
  user: string;
  openid: string;
  msgType: string;
  event: string | null;
  msgId: string | null;
  /** CreateTime of the push (Unix seconds). */
  createTime: number;
  status: PushStatus;
  reply: Reply | null;
  notice: string | null;
  /** The plain push XML (before sealing). */
  xml: string;
  attempts: PushAttemptRecord[];
  createdAt: number;
  finishedAt: number | null;
}

export function pushView(r: PushTable, attempts: PushAttemptRecord[]): PushView {
  return {
    id: r.id,
    appid: r.appid,
    user: r.user_id,
    openid: r.openid,
    msgType: r.msg_type,
    event: r.event,
    msgId: r.msg_id,
    createTime: r.create_time,
    status: r.status as PushStatus,
    reply: parseJsonColumn<Reply | null>(r.reply, null),
    notice: r.notice,
    xml: r.xml,
    attempts,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export async function loadPush(db: Db, id: string): Promise<PushView | undefined> {
  const row = await getPushRow(db, id);
  return row ? pushView(row, await attemptsOf(db, id)) : undefined;
}

/** Newest first; `before` pages with a push id. */
export async function listPushes(
  db: Db,
  opts: { appid?: string; user?: string; status?: string; before?: string; limit?: number },
): Promise<PushView[]> {
  let q = db.selectFrom("pushes").selectAll();
  if (opts.appid) q = q.where("appid", "=", opts.appid);
  if (opts.user) q = q.where("user_id", "=", opts.user);
  if (opts.status) q = q.where("status", "=", opts.status);
  if (opts.before) q = q.where("id", "<", opts.before);
  const rows = await q
    .orderBy("id", "desc")
    .limit(Math.min(opts.limit ?? 50, 500))
    .execute();
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom("push_attempts")
    .selectAll()
    .where(
      "push_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("push_id")
    .orderBy("attempt")
    .execute();
  const byPush = new Map<string, PushAttemptRecord[]>();
  for (const a of attempts) {
    const list = byPush.get(a.push_id) ?? [];
    list.push(attemptFromRow(a));
    byPush.set(a.push_id, list);
  }
  return rows.map((r) => pushView(r, byPush.get(r.id) ?? []));
}
