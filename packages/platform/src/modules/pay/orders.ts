/**
 * Orders and refunds, the same for v2 and v3 (spec/applied-features.md §1.3, §1.6, §1.10): placing
 * an order (identical resubmission → the same prepay_id, changed → OUT_TRADE_NO_USED, paid/closed →
 * ORDERPAID/ORDERCLOSED), the state machine NOTPAY → SUCCESS / PAYERROR / CLOSED (time_expire on the
 * platform clock) → REFUND, closing, and refunds with WeChat's rules (≤ 50 per order, ≤ the amount
 * paid, within a year, retries with the same out_refund_no).
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import { PayError } from "./errors.js";
import { newPrepayId, newRefundId, newTransactionId } from "./ids.js";
import type { Merchant } from "./merchant.js";
import type { PayOrderTable, PayRefundTable } from "./tables.js";

export type TradeState = "NOTPAY" | "SUCCESS" | "REFUND" | "CLOSED" | "PAYERROR" | "USERPAYING" | "REVOKED";

export interface Order extends Omit<PayOrderTable, "state"> {
  state: TradeState;
}

const num = (v: unknown) => Number(v);

function fromRow(r: PayOrderTable, now: number): Order {
  const o: Order = {
    ...r,
    total_fee: num(r.total_fee),
    prepay_expire_at: num(r.prepay_expire_at),
    time_expire: num(r.time_expire),
    paid_at: r.paid_at === null ? null : num(r.paid_at),
    closed_at: r.closed_at === null ? null : num(r.closed_at),
    refunded_fee: num(r.refunded_fee),
    refund_count: num(r.refund_count),
    created_at: num(r.created_at),
    updated_at: num(r.updated_at),
    state: r.state as TradeState,
  };
  // An unpaid order past its time_expire reads as closed (nothing needs to run at that moment).
  if (o.state === "NOTPAY" && now >= o.time_expire) {
    o.state = "CLOSED";
    o.state_desc = "订单已关闭";
    o.closed_at = o.time_expire;
  }
  return o;
}

export interface NewOrder {
  api: "v2" | "v3";
  appid: string;
  outTradeNo: string;
  body: string;
  attach: string;
  detail: string;
  totalFee: number;
  feeType: string;
  openid: string;
  userId: string;
  notifyUrl: string;
  tradeType: string;
  ip: string;
  deviceInfo: string;
  goodsTag: string;
  signType: string;
  /** ms; null = the merchant's default lifetime. */
  timeExpire: number | null;
}

function fingerprintOf(o: NewOrder): string {
  const parts = [
    o.appid,
    o.body,
    o.attach,
    o.detail,
    o.totalFee,
    o.feeType,
    o.openid,
    o.notifyUrl,
    o.tradeType,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export async function findOrder(
  db: Db,
  mchId: string,
  by: { transactionId?: string; outTradeNo?: string; prepayId?: string },
  now: number,
): Promise<Order | undefined> {
  let q = db.selectFrom("pay_orders").selectAll().where("mch_id", "=", mchId);
  if (by.transactionId !== undefined) q = q.where("transaction_id", "=", by.transactionId);
  else if (by.outTradeNo !== undefined) q = q.where("out_trade_no", "=", by.outTradeNo);
  else if (by.prepayId !== undefined) q = q.where("prepay_id", "=", by.prepayId);
  else return undefined;
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  const o = fromRow(r, now);
  // A transaction id is not known to the merchant before payment.
  if (by.transactionId !== undefined && o.paid_at === null) return undefined;
  return o;
}

export async function orderByPrepayId(db: Db, prepayId: string, now: number): Promise<Order | undefined> {
  const r = await db
    .selectFrom("pay_orders")
    .selectAll()
    .where("prepay_id", "=", prepayId)
    .executeTakeFirst();
  return r ? fromRow(r, now) : undefined;
}

/** Place an order, or answer an existing one as WeChat does. */
export async function placeOrder(w: World, m: Merchant, input: NewOrder): Promise<Order> {
  const now = w.clock.now();
  const fingerprint = fingerprintOf(input);
  const existing = await findOrder(w.db, m.mchId, { outTradeNo: input.outTradeNo }, now);
  if (existing) {
    if (existing.state === "SUCCESS" || existing.state === "REFUND") throw new PayError("ORDERPAID");
    if (existing.state === "CLOSED") throw new PayError("ORDERCLOSED");
    if (existing.fingerprint !== fingerprint) throw new PayError("OUT_TRADE_NO_USED");
    if (existing.prepay_expire_at > now) return existing;
    // The same order after its prepay_id lapsed: a fresh prepay_id (the merchant must re-order).
    const prepayId = newPrepayId(now);
    const expire = now + m.settings.prepaySeconds * 1000;
    await w.db
      .updateTable("pay_orders")
      .set({ prepay_id: prepayId, prepay_expire_at: expire, updated_at: now })
      .where("transaction_id", "=", existing.transaction_id)
      .execute();
    return { ...existing, prepay_id: prepayId, prepay_expire_at: expire };
  }
  const row: PayOrderTable = {
    transaction_id: newTransactionId(now),
    mch_id: m.mchId,
    appid: input.appid,
    out_trade_no: input.outTradeNo,
    api: input.api,
    prepay_id: newPrepayId(now),
    prepay_expire_at: now + m.settings.prepaySeconds * 1000,
    trade_type: input.tradeType,
    body: input.body,
    attach: input.attach,
    detail: input.detail,
    total_fee: input.totalFee,
    fee_type: input.feeType,
    openid: input.openid,
    user_id: input.userId,
    notify_url: input.notifyUrl,
    spbill_create_ip: input.ip,
    device_info: input.deviceInfo,
    goods_tag: input.goodsTag,
    sign_type: input.signType,
    fingerprint,
    state: "NOTPAY",
    state_desc: "订单未支付",
    bank_type: "",
    time_expire: input.timeExpire ?? now + m.settings.orderExpireSeconds * 1000,
    paid_at: null,
    closed_at: null,
    refunded_fee: 0,
    refund_count: 0,
    created_at: now,
    updated_at: now,
  };
  await w.db.insertInto("pay_orders").values(row).execute();
  return fromRow(row, now);
}

/** Close an unpaid order (v2 enforces the documented 5-minute minimum age). */
export async function closeOrder(
  w: World,
  m: Merchant,
  outTradeNo: string,
  enforceMinAge: boolean,
): Promise<Order> {
  const now = w.clock.now();
  const o = await findOrder(w.db, m.mchId, { outTradeNo }, now);
  if (!o) throw new PayError("ORDERNOTEXIST");
  if (o.state === "SUCCESS" || o.state === "REFUND") throw new PayError("ORDERPAID");
  if (o.state === "CLOSED") throw new PayError("ORDERCLOSED");
  if (enforceMinAge && now - o.created_at < m.settings.closeMinSeconds * 1000) {
    throw new PayError("SYSTEMERROR", "订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟");
  }
  await w.db
    .updateTable("pay_orders")
    .set({ state: "CLOSED", state_desc: "订单已关闭", closed_at: now, updated_at: now })
    .where("transaction_id", "=", o.transaction_id)
    .execute();
  return { ...o, state: "CLOSED", state_desc: "订单已关闭", closed_at: now };
}

export type PayOutcome = { kind: "paid"; bankType: string } | { kind: "failed"; reason: string };

/** The payer's answer on the pay sheet: the order changes state (NOTPAY only). Returns the new order. */
export async function settlePayment(w: World, o: Order, outcome: PayOutcome): Promise<Order> {
  const now = w.clock.now();
  const set =
    outcome.kind === "paid"
      ? {
          state: "SUCCESS",
          state_desc: "支付成功",
          bank_type: outcome.bankType,
          paid_at: now,
          updated_at: now,
        }
      : { state: "PAYERROR", state_desc: `支付失败：${outcome.reason}`, updated_at: now };
  const r = await w.db
    .updateTable("pay_orders")
    .set(set)
    .where("transaction_id", "=", o.transaction_id)
    .where("state", "=", "NOTPAY")
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new PayError("ORDERPAID", "订单状态已改变");
  return { ...o, ...set, state: set.state as TradeState };
}

// ---------------------------------------------------------------------------------------------------
// Refunds

export interface Refund
  extends Omit<PayRefundTable, "total_fee" | "refund_fee" | "settle_at" | "success_at" | "created_at"> {
  total_fee: number;
  refund_fee: number;
  settle_at: number;
  success_at: number | null;
  created_at: number;
}

function refundFromRow(r: PayRefundTable): Refund {
  return {
    ...r,
    total_fee: num(r.total_fee),
    refund_fee: num(r.refund_fee),
    settle_at: num(r.settle_at),
    success_at: r.success_at === null ? null : num(r.success_at),
    created_at: num(r.created_at),
  };
}

export interface NewRefund {
  api: "v2" | "v3";
  transactionId?: string;
  outTradeNo?: string;
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
  reason: string;
  notifyUrl: string;
  refundAccount: string;
}

const MAX_REFUNDS = 50;
const REFUND_WINDOW_MS = 365 * 86_400_000;

export async function createRefund(w: World, m: Merchant, input: NewRefund): Promise<Refund> {
  const now = w.clock.now();
  const o = await findOrder(
    w.db,
    m.mchId,
    input.transactionId !== undefined
      ? { transactionId: input.transactionId }
      : { outTradeNo: input.outTradeNo },
    now,
  );
  if (!o) throw new PayError("ORDERNOTEXIST");
  const previous = await w.db
    .selectFrom("pay_refunds")
    .selectAll()
    .where("mch_id", "=", m.mchId)
    .where("out_refund_no", "=", input.outRefundNo)
    .executeTakeFirst();
  if (previous) {
    // A retry with the same out_refund_no is the same refund (documented); other amounts are refused.
    const p = refundFromRow(previous);
    if (
      p.transaction_id !== o.transaction_id ||
      p.refund_fee !== input.refundFee ||
      p.total_fee !== input.totalFee
    ) {
      throw new PayError("INVALID_REQUEST", "订单金额或退款金额与之前请求不一致，请核实后再试");
    }
    return p;
  }
  if (o.state !== "SUCCESS" && o.state !== "REFUND")
    throw new PayError("INVALID_REQUEST", "订单未支付，不能退款");
  if (input.totalFee !== o.total_fee) throw new PayError("INVALID_REQUEST", "订单金额与实际支付金额不一致");
  if (input.refundFee <= 0) throw new PayError("PARAM_ERROR", "退款金额必须大于0");
  if (o.refunded_fee + input.refundFee > o.total_fee)
    throw new PayError("INVALID_REQUEST", "申请退款金额超过订单可退金额");
  if (o.refund_count >= MAX_REFUNDS) throw new PayError("INVALID_REQUEST", "一笔订单最多退款50次");
  if (o.paid_at !== null && now - o.paid_at > REFUND_WINDOW_MS)
    throw new PayError("INVALID_REQUEST", "订单已经超过退款期限");
  const row: PayRefundTable = {
    refund_id: newRefundId(),
    mch_id: m.mchId,
    appid: o.appid,
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    out_refund_no: input.outRefundNo,
    api: input.api,
    total_fee: o.total_fee,
    refund_fee: input.refundFee,
    status: "PROCESSING",
    reason: input.reason,
    notify_url: input.notifyUrl,
    refund_account: input.refundAccount,
    settle_at: now + m.settings.refundDelaySeconds * 1000,
    success_at: null,
    created_at: now,
  };
  await w.db.transaction().execute(async (trx) => {
    await trx.insertInto("pay_refunds").values(row).execute();
    await trx
      .updateTable("pay_orders")
      .set({
        state: "REFUND",
        state_desc: "转入退款",
        refunded_fee: o.refunded_fee + input.refundFee,
        refund_count: o.refund_count + 1,
        updated_at: now,
      })
      .where("transaction_id", "=", o.transaction_id)
      .execute();
  });
  return refundFromRow(row);
}

export async function findRefunds(
  db: Db,
  mchId: string,
  by: { transactionId?: string; outTradeNo?: string; outRefundNo?: string; refundId?: string },
): Promise<Refund[]> {
  let q = db.selectFrom("pay_refunds").selectAll().where("mch_id", "=", mchId);
  if (by.refundId !== undefined) q = q.where("refund_id", "=", by.refundId);
  else if (by.outRefundNo !== undefined) q = q.where("out_refund_no", "=", by.outRefundNo);
  else if (by.transactionId !== undefined) q = q.where("transaction_id", "=", by.transactionId);
  else if (by.outTradeNo !== undefined) q = q.where("out_trade_no", "=", by.outTradeNo);
  else return [];
  return (await q.orderBy("created_at").execute()).map(refundFromRow);
}

/** Refunds whose settle time has come (they succeed and notify). */
export async function dueRefunds(db: Db, now: number): Promise<Refund[]> {
  const rows = await db
    .selectFrom("pay_refunds")
    .selectAll()
    .where("status", "=", "PROCESSING")
    .where("settle_at", "<=", now)
    .limit(50)
    .execute();
  return rows.map(refundFromRow);
}

export async function markRefundSucceeded(db: Db, r: Refund, now: number): Promise<boolean> {
  const res = await db
    .updateTable("pay_refunds")
    .set({ status: "SUCCESS", success_at: now })
    .where("refund_id", "=", r.refund_id)
    .where("status", "=", "PROCESSING")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function listOrders(
  db: Db,
  opts: { mchId?: string; appid?: string; limit?: number },
  now: number,
): Promise<Order[]> {
  let q = db.selectFrom("pay_orders").selectAll();
  if (opts.mchId) q = q.where("mch_id", "=", opts.mchId);
  if (opts.appid) q = q.where("appid", "=", opts.appid);
  const rows = await q
    .orderBy("created_at", "desc")
    .limit(Math.min(opts.limit ?? 50, 500))
    .execute();
  return rows.map((r) => fromRow(r, now));
}
