/** Migrations of the core module: clock offset, API journal, quota counters and monthly resets. */
import type { Migration } from "../../db/migrate.js";

export const coreMigrations: Migration[] = [
  {
    id: "core.001_clock_journal_quota",
    async up(db) {
      await db.schema
        .createTable("clock_state")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("offset_ms", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("journal")
        .addColumn("rid", "text", (c) => c.primaryKey())
        .addColumn("appid", "text")
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("query", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("response", "text", (c) => c.notNull())
        .addColumn("errcode", "integer", (c) => c.notNull())
        .addColumn("latency_ms", "integer", (c) => c.notNull())
        .addColumn("client_ip", "text", (c) => c.notNull())
        .addColumn("time", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("journal_time").on("journal").column("time").execute();
      await db.schema
        .createTable("quota_usage")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("used", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("quota_usage_pk", ["appid", "path", "day"])
        .execute();
      await db.schema
        .createTable("quota_resets")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("count", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("quota_resets_pk", ["appid", "month"])
        .execute();
    },
  },
];
