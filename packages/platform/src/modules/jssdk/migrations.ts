/** Migrations of the JS-SDK module. */
import type { Migration } from "../../db/migrate.js";

export const jssdkMigrations: Migration[] = [
  {
    id: "jssdk.001_tables",
    async up(db) {
      await db.schema
        .createTable("jssdk_tickets")
        .addColumn("ticket", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("jssdk_tickets_live")
        .on("jssdk_tickets")
        .columns(["appid", "type", "expires_at"])
        .execute();
      await db.schema
        .createTable("jssdk_pages")
        .addColumn("session", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("api_list", "text", (c) => c.notNull())
        .addColumn("open_tags", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("jssdk_pages_created").on("jssdk_pages").column("created_at").execute();
      await db.schema
        .createTable("jssdk_calls")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("api", "text", (c) => c.notNull())
        .addColumn("args", "text", (c) => c.notNull())
        .addColumn("result", "text", (c) => c.notNull())
        .addColumn("time", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("jssdk_calls_appid_time")
        .on("jssdk_calls")
        .columns(["appid", "time"])
        .execute();
      await db.schema.createIndex("jssdk_calls_time").on("jssdk_calls").column("time").execute();
      await db.schema
        .createTable("jssdk_shares")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("link", "text", (c) => c.notNull())
        .addColumn("img_url", "text", (c) => c.notNull())
        .addColumn("api", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("jssdk_shares_pk", ["appid", "user_id", "url", "target"])
        .execute();
      await db.schema
        .createTable("jssdk_user_settings")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("network_type", "text", (c) => c.notNull())
        .addColumn("location_prompt", "text", (c) => c.notNull())
        .execute();
    },
  },
];
