/** The simulator's view of notifications and their attempts (`GET /_mpstack/pay/notifications`). */
import type { Db } from "../../db/schema.js";

export interface NotificationView {
  id: string;
  appid: string;
  mchId: string;
  eventType: string;
  api: string;
  ref: string;
  url: string;
  body: string;
  status: string;
  attempts: Array<{
    attempt: number;
    startedAt: number;
    latencyMs: number;
    headers: Record<string, string>;
    status: number | null;
    response: string | null;
    outcome: string;
    error: string | null;
  }>;
  nextAt: number | null;
  createdAt: number;
  finishedAt: number | null;
}

export async function listNotifications(
  db: Db,
  opts: { appid?: string; ref?: string; limit?: number },
): Promise<NotificationView[]> {
  let q = db.selectFrom("pay_notifications").selectAll();
  if (opts.appid) q = q.where("appid", "=", opts.appid);
  if (opts.ref) q = q.where("ref", "=", opts.ref);
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(opts.limit ?? 50, 500))
    .execute();
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom("pay_notify_attempts")
    .selectAll()
    .where(
      "notification_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("attempt")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    appid: r.appid,
    mchId: r.mch_id,
    eventType: r.event_type,
    api: r.api,
    ref: r.ref,
    url: r.url,
    body: r.body,
    status: r.status,
    attempts: attempts
      .filter((a) => a.notification_id === r.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: Number(a.started_at),
        latencyMs: a.latency_ms,
        headers: JSON.parse(a.headers) as Record<string, string>,
        status: a.status,
        response: a.response,
        outcome: a.outcome,
        error: a.error,
      })),
    nextAt: r.status === "pending" ? Number(r.next_at) : null,
    createdAt: Number(r.created_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  }));
}
