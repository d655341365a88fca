/**
 * Payment and refund notifications to the merchant's notify_url (spec/applied-features.md §1.5,
 * §1.6, §1.9): a durable outbox (a row per notification, committed before the first attempt; each
 * attempt recorded), WeChat's retry schedule on the platform clock, and a poller that survives
 * restarts (pending rows are picked up again; a lease keeps two pollers from sending one row at once).
 * The HTTP exchange is the push module's (timeouts, bounded answers, keep-alive).
 */
import { signPayV3Response } from "@mpstack/protocol";
import type { ModuleContext } from "../../module.js";
import { Agents, exchange } from "../push/index.js";
import { newNotificationId, randomAlnum } from "./ids.js";
import { type Merchant, merchantByMchId } from "./merchant.js";
import { accepted, refundBody } from "./notify-bodies.js";
import { dueRefunds, findOrder, markRefundSucceeded } from "./orders.js";
import type { PayNotificationTable, PayNotifyAttemptTable } from "./tables.js";

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
    this.timer = setInterval(() => this.kick(), this.pollMs);
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
    this.kick();
    return row.id;
  }

  /** A tick beside requests, tracked by the platform (`ctx.background`): close waits for it. */
  kick(): void {
    this.ctx.background("pay notifier tick", () => this.tick());
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
