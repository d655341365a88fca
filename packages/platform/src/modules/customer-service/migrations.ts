/** Migrations of the customer-service module: window usage counts, typing state, per-account policies. */
import type { Migration } from "../../db/migrate.js";

export const customerServiceMigrations: Migration[] = [
  {
    id: "customer-service.001_window_typing_policies",
    async up(db) {
      await db.schema
        .createTable("cs_window_usage")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("scene", "text", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("used", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("cs_window_usage_pk", ["appid", "user_id", "scene"])
        .execute();
      await db.schema
        .createTable("cs_typing")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("started_at", "bigint", (c) => c.notNull())
        .addColumn("typing_until", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("cs_typing_pk", ["appid", "user_id"])
        .execute();
      await db.schema
        .createTable("cs_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];
