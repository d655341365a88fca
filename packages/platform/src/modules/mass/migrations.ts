/** Tables of the mass module (see tables.ts). */
import type { Migration } from "../../db/migrate.js";

export const massMigrations: Migration[] = [
  {
    id: "mass.001_jobs",
    async up(db) {
      await db.schema
        .createTable("mass_jobs")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("msg_id", "text", (c) => c.notNull())
        .addColumn("msg_data_id", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("tag_id", "integer")
        .addColumn("openids", "text")
        .addColumn("is_to_all", "integer", (c) => c.notNull())
        .addColumn("msgtype", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("client_key", "text", (c) => c.notNull())
        .addColumn("send_ignore_reprint", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("result", "text", (c) => c.notNull())
        .addColumn("copyright", "text", (c) => c.notNull())
        .addColumn("expected", "bigint", (c) => c.notNull())
        .addColumn("total", "bigint", (c) => c.notNull())
        .addColumn("skipped", "bigint", (c) => c.notNull())
        .addColumn("sent", "bigint", (c) => c.notNull())
        .addColumn("errors", "bigint", (c) => c.notNull())
        .addColumn("cursor", "text", (c) => c.notNull())
        .addColumn("snapshot_at", "bigint", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("by_wxname", "integer", (c) => c.notNull())
        .addColumn("deleted", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .addColumn("finish_pushed", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("mass_jobs_pk", ["appid", "msg_id"])
        .execute();
      await db.schema.createIndex("mass_jobs_day").on("mass_jobs").columns(["appid", "day"]).execute();
      await db.schema.createIndex("mass_jobs_month").on("mass_jobs").columns(["appid", "month"]).execute();
      await db.schema.createIndex("mass_jobs_key").on("mass_jobs").columns(["appid", "client_key"]).execute();
      await db.schema
        .createIndex("mass_jobs_open")
        .on("mass_jobs")
        .columns(["finish_pushed", "status"])
        .execute();
      await db.schema
        .createTable("mass_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("next_msg_id", "bigint", (c) => c.notNull())
        .addColumn("next_data_id", "bigint", (c) => c.notNull())
        .addColumn("speed", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("mass_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];
