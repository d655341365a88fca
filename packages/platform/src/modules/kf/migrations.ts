/** The kf module's migrations. */
import type { Migration } from "../../db/migrate.js";

export const kfMigrations: Migration[] = [
  {
    id: "kf.001_accounts_sessions_records",
    async up(db) {
      await db.schema
        .createTable("kf_accounts")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("kf_account", "text", (c) => c.notNull())
        .addColumn("kf_id", "text", (c) => c.notNull())
        .addColumn("nickname", "text", (c) => c.notNull())
        .addColumn("headimg_version", "integer", (c) => c.notNull())
        .addColumn("worker", "text")
        .addColumn("invite_wx", "text")
        .addColumn("invite_expire_at", "bigint")
        .addColumn("invite_status", "text")
        .addColumn("online", "integer", (c) => c.notNull())
        .addColumn("auto_accept", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("kf_accounts_pk", ["appid", "kf_account"])
        .execute();
      await db.schema
        .createTable("kf_headimgs")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("kf_account", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("kf_headimgs_pk", ["appid", "kf_account"])
        .execute();
      await db.schema
        .createTable("kf_sessions")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("kf_account", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_activity", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("kf_sessions_pk", ["appid", "user_id"])
        .execute();
      await db.schema
        .createTable("kf_waitcases")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("kf_account", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("latest_time", "bigint", (c) => c.notNull())
        .addColumn("pending", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("kf_waitcases_pk", ["appid", "user_id"])
        .execute();
      await db.schema
        .createTable("kf_records")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("msgid", "bigint", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("worker", "text", (c) => c.notNull())
        .addColumn("opercode", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("time", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("kf_records_pk", ["appid", "msgid"])
        .execute();
      await db.schema
        .createTable("kf_record_seq")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("next", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("kf_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];
