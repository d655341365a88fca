/** Migrations of the push module: the outbox, attempts, handshakes, window openers, policies. */
import type { Migration } from "../../db/migrate.js";

export const pushMigrations: Migration[] = [
  {
    id: "push.001_outbox",
    async up(db) {
      await db.schema
        .createTable("pushes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("msg_type", "text", (c) => c.notNull())
        .addColumn("event", "text")
        .addColumn("msg_id", "text")
        .addColumn("create_time", "bigint", (c) => c.notNull())
        .addColumn("xml", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("reply", "text")
        .addColumn("notice", "text")
        .addColumn("deliver", "integer", (c) => c.notNull())
        .addColumn("news_limit", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .execute();
      await db.schema.createIndex("pushes_appid_id").on("pushes").columns(["appid", "id"]).execute();
      await db.schema.createIndex("pushes_status").on("pushes").column("status").execute();
      await db.schema
        .createTable("push_attempts")
        .addColumn("push_id", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("started_at", "bigint", (c) => c.notNull())
        .addColumn("latency_ms", "integer", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("query", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("response", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .addPrimaryKeyConstraint("push_attempts_pk", ["push_id", "attempt"])
        .execute();
      await db.schema
        .createTable("push_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("server_checks")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("ok", "integer", (c) => c.notNull())
        .addColumn("result", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("latency_ms", "integer", (c) => c.notNull())
        .addColumn("checked_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("service_window_openers")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("scene", "text", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("push_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("service_window_openers_pk", ["appid", "user_id", "scene"])
        .execute();
    },
  },
];
