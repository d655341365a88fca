/**
 * The pay module's tables: simulated merchants (keys and certificates), orders, refunds, and the
 * durable notification outbox with its attempts. Times are platform-clock milliseconds.
 */

/** One simulated merchant per account with the pay grant. */
export interface PayMerchantTable {
  appid: string;
  mch_id: string;
  /** API v2 key (32 characters). */
  api_key: string;
  /** APIv3 key (32 bytes). */
  apiv3_key: string;
  merchant_private_key: string;
  merchant_cert: string;
  merchant_serial: string;
  platform_private_key: string;
  platform_cert: string;
  platform_serial: string;
  /** JSON: PaySettings overrides. */
  settings: string;
  created_at: number;
}

export interface PayOrderTable {
  /** WeChat's order id (28 digits), revealed once paid. */
  transaction_id: string;
  mch_id: string;
  appid: string;
  out_trade_no: string;
  /** v2 | v3: which API created it (and so which notification format it gets). */
  api: string;
  prepay_id: string;
  prepay_expire_at: number;
  trade_type: string;
  body: string;
  attach: string;
  detail: string;
  total_fee: number;
  fee_type: string;
  openid: string;
  user_id: string;
  notify_url: string;
  spbill_create_ip: string;
  device_info: string;
  goods_tag: string;
  /** v2: the sign type of the order (its notification is signed the same way). */
  sign_type: string;
  /** Fingerprint of the order's parameters (an identical resubmission gets the same prepay_id). */
  fingerprint: string;
  /** NOTPAY | SUCCESS | REFUND | CLOSED | PAYERROR (NOTPAY past time_expire reads as CLOSED). */
  state: string;
  state_desc: string;
  bank_type: string;
  time_expire: number;
  paid_at: number | null;
  closed_at: number | null;
  refunded_fee: number;
  refund_count: number;
  created_at: number;
  updated_at: number;
}

export interface PayRefundTable {
  refund_id: string;
  mch_id: string;
  appid: string;
  transaction_id: string;
  out_trade_no: string;
  out_refund_no: string;
  api: string;
  total_fee: number;
  refund_fee: number;
  /** PROCESSING | SUCCESS | CLOSED | ABNORMAL */
  status: string;
  reason: string;
  notify_url: string;
  refund_account: string;
  settle_at: number;
  success_at: number | null;
  created_at: number;
}

/** One notification to a merchant's notify_url (payment or refund), retried on WeChat's schedule. */
export interface PayNotificationTable {
  id: string;
  mch_id: string;
  appid: string;
  /** TRANSACTION.SUCCESS | REFUND.SUCCESS | … */
  event_type: string;
  api: string;
  /** transaction_id or refund_id */
  ref: string;
  url: string;
  /** The exact body, the same on every attempt (v3 headers are signed again per attempt). */
  body: string;
  /** pending | delivered | failed | dropped */
  status: string;
  attempts: number;
  next_at: number;
  lease_until: number;
  created_at: number;
  finished_at: number | null;
}

export interface PayNotifyAttemptTable {
  notification_id: string;
  attempt: number;
  started_at: number;
  latency_ms: number;
  /** JSON of the request headers sent (v3 signature headers). */
  headers: string;
  status: number | null;
  response: string | null;
  /** success | rejected | timeout | network_error */
  outcome: string;
  error: string | null;
}

declare module "../../db/schema.js" {
  interface Database {
    pay_merchants: PayMerchantTable;
    pay_orders: PayOrderTable;
    pay_refunds: PayRefundTable;
    pay_notifications: PayNotificationTable;
    pay_notify_attempts: PayNotifyAttemptTable;
  }
}
