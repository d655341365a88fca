/**
 * How orders and refunds read on the wire: the v2 fields of order query and the payment
 * notification (§1.5, §1.6), and the v3 transaction and refund objects (§1.7, §1.9).
 */
import { cstCompact, cstRfc3339 } from "./ids.js";
import type { Order, Refund } from "./orders.js";

const TRADE_STATE_DESC: Record<string, string> = {
  SUCCESS: "支付成功",
  REFUND: "转入退款",
  NOTPAY: "订单未支付",
  CLOSED: "订单已关闭",
  PAYERROR: "支付失败",
  USERPAYING: "用户支付中",
  REVOKED: "已撤销",
};

const paidLike = (o: Order) => o.paid_at !== null && (o.state === "SUCCESS" || o.state === "REFUND");

/** v2 payment fields of a paid order (notification and order query), without the common ones. */
export function v2PaymentFields(o: Order, isSubscribe: boolean): Record<string, string | number | undefined> {
  return {
    device_info: o.device_info || undefined,
    openid: o.openid,
    is_subscribe: isSubscribe ? "Y" : "N",
    trade_type: o.trade_type,
    bank_type: o.bank_type,
    total_fee: o.total_fee,
    fee_type: o.fee_type,
    cash_fee: o.total_fee,
    cash_fee_type: o.fee_type,
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    attach: o.attach || undefined,
    time_end: o.paid_at === null ? undefined : cstCompact(o.paid_at),
  };
}

/** v2 order query: trade_state and, once paid, the payment fields. */
export function v2QueryFields(o: Order, isSubscribe: boolean): Record<string, string | number | undefined> {
  const base = {
    trade_state: o.state,
    trade_state_desc: o.state === "PAYERROR" ? o.state_desc : (TRADE_STATE_DESC[o.state] ?? o.state_desc),
    out_trade_no: o.out_trade_no,
    attach: o.attach || undefined,
    total_fee: o.total_fee,
    fee_type: o.fee_type,
    trade_type: o.trade_type,
    openid: o.openid,
    device_info: o.device_info || undefined,
  };
  return paidLike(o) ? { ...base, ...v2PaymentFields(o, isSubscribe), trade_state: o.state } : base;
}

export interface V3Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: string;
  trade_state_desc: string;
  bank_type?: string;
  attach: string;
  success_time?: string;
  payer: { openid: string };
  amount: { total: number; payer_total?: number; currency: string; payer_currency?: string };
  scene_info?: { device_id: string };
  promotion_detail?: unknown[];
}

export function v3Transaction(o: Order): V3Transaction {
  const paid = paidLike(o);
  return {
    appid: o.appid,
    mchid: o.mch_id,
    out_trade_no: o.out_trade_no,
    ...(paid ? { transaction_id: o.transaction_id, trade_type: o.trade_type, bank_type: o.bank_type } : {}),
    trade_state: o.state,
    trade_state_desc: o.state === "PAYERROR" ? o.state_desc : (TRADE_STATE_DESC[o.state] ?? o.state_desc),
    attach: o.attach,
    ...(paid && o.paid_at !== null ? { success_time: cstRfc3339(o.paid_at) } : {}),
    payer: { openid: o.openid },
    amount: paid
      ? { total: o.total_fee, payer_total: o.total_fee, currency: o.fee_type, payer_currency: o.fee_type }
      : { total: o.total_fee, currency: o.fee_type },
    ...(o.device_info ? { scene_info: { device_id: o.device_info } } : {}),
  };
}

const RECV_ACCOUNT = "支付用户零钱";

export function v3Refund(r: Refund) {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: "ORIGINAL",
    user_received_account: RECV_ACCOUNT,
    ...(r.success_at !== null ? { success_time: cstRfc3339(r.success_at) } : {}),
    create_time: cstRfc3339(r.created_at),
    status: r.status,
    funds_account: r.refund_account || "UNSETTLED",
    amount: {
      total: r.total_fee,
      refund: r.refund_fee,
      payer_total: r.total_fee,
      payer_refund: r.refund_fee,
      settlement_refund: r.refund_fee,
      settlement_total: r.total_fee,
      discount_refund: 0,
      currency: "CNY",
    },
    promotion_detail: [],
  };
}

/** The decrypted resource of a v3 REFUND.* notification. */
export function v3RefundResource(r: Refund, mchid: string) {
  return {
    mchid,
    out_trade_no: r.out_trade_no,
    transaction_id: r.transaction_id,
    out_refund_no: r.out_refund_no,
    refund_id: r.refund_id,
    refund_status: r.status,
    ...(r.success_at !== null ? { success_time: cstRfc3339(r.success_at) } : {}),
    user_received_account: RECV_ACCOUNT,
    amount: {
      total: r.total_fee,
      refund: r.refund_fee,
      payer_total: r.total_fee,
      payer_refund: r.refund_fee,
    },
  };
}

function cstDateTime(ms: number): string {
  const c = cstCompact(ms);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
}

/** The plaintext fields of a v2 refund notification's `req_info` (§1.6). */
export function v2RefundReqInfo(r: Refund): Record<string, string | number> {
  return {
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    total_fee: r.total_fee,
    refund_fee: r.refund_fee,
    settlement_refund_fee: r.refund_fee,
    refund_status: r.status,
    success_time: r.success_at === null ? "" : cstDateTime(r.success_at),
    refund_recv_accout: RECV_ACCOUNT,
    refund_account: r.refund_account || "REFUND_SOURCE_UNSETTLED_FUNDS",
    refund_request_source: "API",
  };
}

/** v2 refund query fields for a list of refunds (`_$n` suffixes). */
export function v2RefundQueryFields(o: Order, refunds: Refund[]): Record<string, string | number> {
  const out: Record<string, string | number> = {
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    total_fee: o.total_fee,
    cash_fee: o.total_fee,
    refund_count: refunds.length,
  };
  refunds.forEach((r, n) => {
    out[`out_refund_no_${n}`] = r.out_refund_no;
    out[`refund_id_${n}`] = r.refund_id;
    out[`refund_channel_${n}`] = "ORIGINAL";
    out[`refund_fee_${n}`] = r.refund_fee;
    out[`settlement_refund_fee_${n}`] = r.refund_fee;
    out[`refund_status_${n}`] = r.status;
    out[`refund_account_${n}`] = r.refund_account || "REFUND_SOURCE_UNSETTLED_FUNDS";
    out[`refund_recv_accout_${n}`] = RECV_ACCOUNT;
    if (r.success_at !== null) out[`refund_success_time_${n}`] = cstDateTime(r.success_at);
  });
  return out;
}
