/** The pay module's tables (see tables.ts). */
import type { Migration } from "../../db/migrate.js";

export const payMigrations: Migration[] = [
  {
    id: "pay.001_merchants_orders_notifications",
    async up(db) {
      await db.schema
        .createTable("pay_merchants")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("mch_id", "text", (c) => c.notNull().unique())
        .addColumn("api_key", "text", (c) => c.notNull())
        .addColumn("apiv3_key", "text", (c) => c.notNull())
        .addColumn("merchant_private_key", "text", (c) => c.notNull())
        .addColumn("merchant_cert", "text", (c) => c.notNull())
        .addColumn("merchant_serial", "text", (c) => c.notNull())
        .addColumn("platform_private_key", "text", (c) => c.notNull())
        .addColumn("platform_cert", "text", (c) => c.notNull())
        .addColumn("platform_serial", "text", (c) => c.notNull())
        .addColumn("settings", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("pay_orders")
        .addColumn("transaction_id", "text", (c) => c.primaryKey())
        .addColumn("mch_id", "text", (c) => c.notNull())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("out_trade_no", "text", (c) => c.notNull())
        .addColumn("api", "text", (c) => c.notNull())
        .addColumn("prepay_id", "text", (c) => c.notNull().unique())
        .addColumn("prepay_expire_at", "bigint", (c) => c.notNull())
        .addColumn("trade_type", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("attach", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("total_fee", "bigint", (c) => c.notNull())
        .addColumn("fee_type", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("notify_url", "text", (c) => c.notNull())
        .addColumn("spbill_create_ip", "text", (c) => c.notNull())
        .addColumn("device_info", "text", (c) => c.notNull())
        .addColumn("goods_tag", "text", (c) => c.notNull())
        .addColumn("sign_type", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("state_desc", "text", (c) => c.notNull())
        .addColumn("bank_type", "text", (c) => c.notNull())
        .addColumn("time_expire", "bigint", (c) => c.notNull())
        .addColumn("paid_at", "bigint")
        .addColumn("closed_at", "bigint")
        .addColumn("refunded_fee", "bigint", (c) => c.notNull())
        .addColumn("refund_count", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("pay_orders_out_trade_no")
        .on("pay_orders")
        .columns(["mch_id", "out_trade_no"])
        .unique()
        .execute();
      await db.schema
        .createTable("pay_refunds")
        .addColumn("refund_id", "text", (c) => c.primaryKey())
        .addColumn("mch_id", "text", (c) => c.notNull())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("transaction_id", "text", (c) => c.notNull())
        .addColumn("out_trade_no", "text", (c) => c.notNull())
        .addColumn("out_refund_no", "text", (c) => c.notNull())
        .addColumn("api", "text", (c) => c.notNull())
        .addColumn("total_fee", "bigint", (c) => c.notNull())
        .addColumn("refund_fee", "bigint", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("notify_url", "text", (c) => c.notNull())
        .addColumn("refund_account", "text", (c) => c.notNull())
        .addColumn("settle_at", "bigint", (c) => c.notNull())
        .addColumn("success_at", "bigint")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("pay_refunds_out_refund_no")
        .on("pay_refunds")
        .columns(["mch_id", "out_refund_no"])
        .unique()
        .execute();
      await db.schema
        .createIndex("pay_refunds_transaction")
        .on("pay_refunds")
        .column("transaction_id")
        .execute();
      await db.schema
        .createIndex("pay_refunds_settle")
        .on("pay_refunds")
        .columns(["status", "settle_at"])
        .execute();
      await db.schema
        .createTable("pay_notifications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("mch_id", "text", (c) => c.notNull())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("api", "text", (c) => c.notNull())
        .addColumn("ref", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_at", "bigint", (c) => c.notNull())
        .addColumn("lease_until", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .execute();
      await db.schema
        .createIndex("pay_notifications_due")
        .on("pay_notifications")
        .columns(["status", "next_at"])
        .execute();
      await db.schema.createIndex("pay_notifications_ref").on("pay_notifications").column("ref").execute();
      await db.schema
        .createTable("pay_notify_attempts")
        .addColumn("notification_id", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("started_at", "bigint", (c) => c.notNull())
        .addColumn("latency_ms", "integer", (c) => c.notNull())
        .addColumn("headers", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("response", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .addPrimaryKeyConstraint("pay_notify_attempts_pk", ["notification_id", "attempt"])
        .execute();
    },
  },
];
