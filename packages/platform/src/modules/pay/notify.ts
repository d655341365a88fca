/**
 * Payment and refund notifications to the merchant's notify_url (spec/applied-features.md §1.5,
 * §1.6, §1.9): a durable outbox (a row per notification, committed before the first attempt; each
 * attempt recorded), WeChat's retry schedule on the platform clock, and a poller that survives
 * restarts (pending rows are picked up again; a lease keeps two pollers from sending one row at once).
 * The HTTP exchange is the push module's (timeouts, bounded answers, keep-alive).
 */
import {
  aeadEncrypt,
  buildXml,
  encryptRefundReqInfo,
  type PaySignType,
  parseXml,
  paySign,
  signPayV3Response,
} from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import type { ModuleContext } from "../../module.js";
import { Agents, exchange } from "../push/index.js";
import { getFollow } from "../simulated-users/index.js";
import { cstRfc3339, newNotificationId, randomAlnum } from "./ids.js";
import { type Merchant, merchantByMchId } from "./merchant.js";
import { dueRefunds, findOrder, markRefundSucceeded, type Order, type Refund } from "./orders.js";
import type { PayNotificationTable, PayNotifyAttemptTable } from "./tables.js";
import { v2PaymentFields, v2RefundReqInfo, v3RefundResource, v3Transaction } from "./views.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    "pay.order": { appid: string; mchId: string; outTradeNo: string; state: string };
    "pay.refund": { appid: string; mchId: string; outRefundNo: string; status: string };
    "pay.notification": { appid: string; id: string; eventType: string; status: string; attempts: number };
  }
}

/** How long a claimed notification stays reserved beyond its attempt's timeout. */
const LEASE_MARGIN_MS = 30_000;
const KEPT_RESPONSE_CHARS = 16 * 1024;

/** The body of a payment notification (v2 signed XML, v3 encrypted JSON). */
export async function transactionBody(db: Db, m: Merchant, o: Order, now: number): Promise<string> {
  if (o.api === "v3")
    return v3Envelope(m, "TRANSACTION.SUCCESS", "支付成功", "transaction", v3Transaction(o), now);
  const follow = await getFollow(db, o.appid, o.user_id);
  const signType = o.sign_type === "HMAC-SHA256" ? "HMAC-SHA256" : "MD5";
  const fields: Record<string, string | number | undefined> = {
    appid: o.appid,
    mch_id: o.mch_id,
    nonce_str: randomAlnum(32),
    result_code: "SUCCESS",
    return_code: "SUCCESS",
    ...(signType === "HMAC-SHA256" ? { sign_type: signType } : {}),
    ...v2PaymentFields(o, follow?.subscribed === 1),
  };
  fields.sign = paySign(fields, m.apiKey, signType as PaySignType);
  return buildXml(fields);
}

/** The body of a refund notification (v2 `req_info` encrypted, v3 encrypted resource). */
export function refundBody(m: Merchant, r: Refund, now: number): string {
  if (r.api === "v3")
    return v3Envelope(m, "REFUND.SUCCESS", "退款成功", "refund", v3RefundResource(r, m.mchId), now);
  const reqInfo = encryptRefundReqInfo(buildXml(v2RefundReqInfo(r), "root"), m.apiKey);
  return buildXml({
    return_code: "SUCCESS",
    appid: r.appid,
    mch_id: m.mchId,
    nonce_str: randomAlnum(32),
    req_info: reqInfo,
  });
}

function v3Envelope(
  m: Merchant,
  eventType: string,
  summary: string,
  type: string,
  resource: object,
  now: number,
) {
  const nonce = randomAlnum(12);
  return JSON.stringify({
    id: newNotificationId(now),
    create_time: cstRfc3339(now),
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary,
    resource: {
      original_type: type,
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: aeadEncrypt(m.apiV3Key, nonce, type, JSON.stringify(resource)),
      associated_data: type,
      nonce,
    },
  });
}

/** Did the merchant take it? v2: `return_code` SUCCESS (read leniently); v3: HTTP 200 or 204. */
export function accepted(api: string, status: number, body: string): boolean {
  if (api === "v3") return status === 200 || status === 204;
  if (status !== 200) return false;
  try {
    const code = parseXml(body, { maxBytes: 64 * 1024 }).return_code;
    return typeof code === "string" && code.toUpperCase().includes("SUCCESS");
  } catch {
    return false;
  }
}

export class PayNotifier {
  private readonly agents = new Agents();
  private readonly stop = new AbortController();
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;

  constructor(
    private readonly ctx: ModuleContext<"push">,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  /** Write the notification row (delivered by the next tick, or `deliverNow`). */
  async enqueue(
    m: Merchant,
    eventType: string,
    api: string,
    ref: string,
    url: string,
    body: string,
  ): Promise<string> {
    const now = this.ctx.clock.now();
    const row: PayNotificationTable = {
      id: newNotificationId(now),
      mch_id: m.mchId,
      appid: m.appid,
      event_type: eventType,
      api,
      ref,
      url,
      body,
      status: "pending",
      attempts: 0,
      next_at: now,
      lease_until: 0,
      created_at: now,
      finished_at: null,
    };
    await this.ctx.db.insertInto("pay_notifications").values(row).execute();
    this.emit(row);
    setImmediate(() => void this.tick());
    return row.id;
  }

  /** One round: settle due refunds, then send every due notification. */
  async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.settleRefunds();
      const now = this.ctx.clock.now();
      const due = await this.ctx.db
        .selectFrom("pay_notifications")
        .selectAll()
        .where("status", "=", "pending")
        .where("next_at", "<=", now)
        .where("lease_until", "<=", now)
        .orderBy("next_at")
        .limit(20)
        .execute();
      for (const row of due) {
        if (this.inFlight.has(row.id) || this.closed) continue;
        const m = await merchantByMchId(this.ctx.db, row.mch_id);
        if (!m) continue;
        const lease = now + m.settings.notifyTimeoutMs + LEASE_MARGIN_MS;
        const claimed = await this.ctx.db
          .updateTable("pay_notifications")
          .set({ lease_until: lease })
          .where("id", "=", row.id)
          .where("status", "=", "pending")
          .where("lease_until", "<=", now)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) continue;
        this.inFlight.add(row.id);
        const p = this.attempt(m, row).finally(() => this.inFlight.delete(row.id));
        this.running.add(p);
        p.then(
          () => this.running.delete(p),
          (err) => {
            this.running.delete(p);
            if (!this.closed) this.ctx.log.error({ err: String(err), id: row.id }, "pay notification failed");
          },
        );
      }
    } catch (err) {
      if (!this.closed) this.ctx.log.error({ err: String(err) }, "pay notifier tick failed");
    } finally {
      this.ticking = false;
    }
  }

  private async settleRefunds(): Promise<void> {
    const now = this.ctx.clock.now();
    for (const r of await dueRefunds(this.ctx.db, now)) {
      if (!(await markRefundSucceeded(this.ctx.db, r, now))) continue;
      const done = { ...r, status: "SUCCESS", success_at: now };
      this.ctx.events.emit("pay.refund", {
        appid: r.appid,
        mchId: r.mch_id,
        outRefundNo: r.out_refund_no,
        status: "SUCCESS",
      });
      const m = await merchantByMchId(this.ctx.db, r.mch_id);
      const url =
        r.notify_url ||
        (await findOrder(this.ctx.db, r.mch_id, { outTradeNo: r.out_trade_no }, now))?.notify_url;
      if (m && url)
        await this.enqueue(m, "REFUND.SUCCESS", r.api, r.refund_id, url, refundBody(m, done, now));
    }
  }

  private async attempt(m: Merchant, row: PayNotificationTable): Promise<void> {
    const n = row.attempts + 1;
    const startedAt = this.ctx.clock.now();
    const headers: Record<string, string> =
      row.api === "v3"
        ? {
            "content-type": "application/json",
            ...signPayV3Response(
              row.body,
              m.platformPrivateKey,
              m.platformSerial,
              this.ctx.clock.nowSeconds(),
              randomAlnum(32),
            ),
          }
        : { "content-type": "text/xml; charset=utf-8" };
    let url: URL;
    try {
      url = new URL(row.url);
    } catch {
      return this.record(m, row, n, startedAt, headers, {
        outcome: "network_error",
        latencyMs: 0,
        error: "invalid notify_url",
      });
    }
    const r = await exchange(this.agents, {
      method: "POST",
      url,
      body: row.body,
      headers,
      timeoutMs: m.settings.notifyTimeoutMs,
      signal: this.stop.signal,
    });
    if (this.closed) return; // interrupted: not recorded, sent again after a restart
    if (r.kind === "answer") {
      const ok = accepted(row.api, r.status, r.body);
      return this.record(m, row, n, startedAt, headers, {
        outcome: ok ? "success" : "rejected",
        latencyMs: r.latencyMs,
        status: r.status,
        response: r.body,
      });
    }
    return this.record(m, row, n, startedAt, headers, {
      outcome: r.kind === "timeout" ? "timeout" : "network_error",
      latencyMs: r.latencyMs,
      ...(r.kind === "too_large" ? { status: r.status, error: "answer too large" } : {}),
      ...(r.kind === "network_error" ? { error: r.error } : {}),
    });
  }

  private async record(
    m: Merchant,
    row: PayNotificationTable,
    n: number,
    startedAt: number,
    headers: Record<string, string>,
    a: { outcome: string; latencyMs: number; status?: number; response?: string; error?: string },
  ): Promise<void> {
    const now = this.ctx.clock.now();
    const schedule = m.settings.notifyScheduleSeconds;
    const success = a.outcome === "success";
    const pause = schedule[n - 1];
    const status = success ? "delivered" : pause === undefined ? "failed" : "pending";
    const attempt: PayNotifyAttemptTable = {
      notification_id: row.id,
      attempt: n,
      started_at: startedAt,
      latency_ms: a.latencyMs,
      headers: JSON.stringify(headers),
      status: a.status ?? null,
      response: a.response === undefined ? null : a.response.slice(0, KEPT_RESPONSE_CHARS),
      outcome: a.outcome,
      error: a.error ?? null,
    };
    const saved = await this.ctx.db.transaction().execute(async (trx) => {
      const u = await trx
        .updateTable("pay_notifications")
        .set({
          attempts: n,
          status,
          next_at: status === "pending" ? now + (pause ?? 0) * 1000 : row.next_at,
          lease_until: 0,
          finished_at: status === "pending" ? null : now,
        })
        .where("id", "=", row.id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return false;
      await trx.insertInto("pay_notify_attempts").values(attempt).execute();
      return true;
    });
    if (saved) this.emit({ ...row, status, attempts: n });
  }

  private emit(row: Pick<PayNotificationTable, "appid" | "id" | "event_type" | "status" | "attempts">): void {
    this.ctx.events.emit("pay.notification", {
      appid: row.appid,
      id: row.id,
      eventType: row.event_type,
      status: row.status,
      attempts: row.attempts,
    });
  }

  /** Send a pending notification now (skipping the rest of its pause). */
  async deliverNow(id: string): Promise<boolean> {
    const r = await this.ctx.db
      .updateTable("pay_notifications")
      .set({ next_at: this.ctx.clock.now(), lease_until: 0 })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    await this.tick();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Stop retrying a notification. */
  async drop(id: string): Promise<boolean> {
    const r = await this.ctx.db
      .updateTable("pay_notifications")
      .set({ status: "dropped", finished_at: this.ctx.clock.now() })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Send a delivered notification once more (merchants must be idempotent). */
  async duplicate(id: string): Promise<string | null> {
    const row = await this.ctx.db
      .selectFrom("pay_notifications")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    const m = await merchantByMchId(this.ctx.db, row.mch_id);
    if (!m) return null;
    return this.enqueue(m, row.event_type, row.api, row.ref, row.url, row.body);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.stop.abort();
    await Promise.allSettled([...this.running]);
    this.agents.destroy();
  }
}

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
