/** The subscribe-messages module's migrations. */
import type { Migration } from "../../db/migrate.js";

export const subscribeMigrations: Migration[] = [
  {
    id: "subscribe-messages.001_templates_grants",
    async up(db) {
      await db.schema
        .createTable("sub_templates")
        .addColumn("pri_tmpl_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("tid", "integer", (c) => c.notNull())
        .addColumn("category_id", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("type", "integer", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("example", "text", (c) => c.notNull())
        .addColumn("fields", "text", (c) => c.notNull())
        .addColumn("scene_desc", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sub_templates_appid").on("sub_templates").columns(["appid"]).execute();
      await db.schema
        .createTable("sub_grants")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("pri_tmpl_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("remaining", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("sub_grants_pk", ["appid", "user_id", "pri_tmpl_id"])
        .execute();
    },
  },
];
