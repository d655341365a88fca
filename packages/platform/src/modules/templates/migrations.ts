/** The templates module's migrations (portable: text, bigint ms, integer flags, JSON as text). */
import type { Migration } from "../../db/migrate.js";

export const templateMigrations: Migration[] = [
  {
    id: "templates.001_industries_templates_sends_grants",
    async up(db) {
      await db.schema
        .createTable("tmpl_industries")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("industry_id1", "integer", (c) => c.notNull())
        .addColumn("industry_id2", "integer", (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("changes", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("tmpl_categories")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("category_ids", "text", (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("changes", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("tmpl_private")
        .addColumn("template_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("short_id", "text", (c) => c.notNull())
        .addColumn("group_id", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("primary_industry", "text", (c) => c.notNull())
        .addColumn("deputy_industry", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("example", "text", (c) => c.notNull())
        .addColumn("fields", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("tmpl_private_appid").on("tmpl_private").columns(["appid"]).execute();
      await db.schema
        .createTable("tmpl_sends")
        .addColumn("msgid", "bigint", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("template_id", "text", (c) => c.notNull())
        .addColumn("client_msg_id", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("event_status", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("tmpl_sends_appid_time")
        .on("tmpl_sends")
        .columns(["appid", "created_at"])
        .execute();
      await db.schema
        .createIndex("tmpl_sends_reentry")
        .on("tmpl_sends")
        .columns(["appid", "openid", "client_msg_id"])
        .execute();
      await db.schema
        .createTable("tmpl_user_blocks")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("tmpl_user_blocks_pk", ["appid", "user_id"])
        .execute();
      await db.schema
        .createTable("tmpl_once_grants")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("scene", "integer", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("template_id", "text", (c) => c.notNull())
        .addColumn("granted_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("tmpl_once_grants_pk", ["appid", "user_id", "scene"])
        .execute();
      await db.schema
        .createTable("tmpl_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];
