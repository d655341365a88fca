/** Migrations of the qrcode module: codes, settings, short keys. */
import type { Migration } from "../../db/migrate.js";

export const qrcodeMigrations: Migration[] = [
  {
    id: "qrcode.001_qrcodes",
    async up(db) {
      await db.schema
        .createTable("qrcodes")
        .addColumn("ticket", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("action_name", "text", (c) => c.notNull())
        .addColumn("scene_id", "bigint", (c) => c.notNull())
        .addColumn("scene_str", "text", (c) => c.notNull())
        .addColumn("url_token", "text", (c) => c.notNull().unique())
        .addColumn("permanent", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expire_at", "bigint")
        .execute();
      await db.schema
        .createIndex("qrcodes_permanent_scene")
        .on("qrcodes")
        .columns(["appid", "permanent", "action_name", "scene_id", "scene_str"])
        .execute();
      await db.schema.createIndex("qrcodes_expire_at").on("qrcodes").column("expire_at").execute();
      await db.schema
        .createTable("qrcode_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("default_expire_seconds", "integer", (c) => c.notNull())
        .addColumn("strict_expire", "integer", (c) => c.notNull())
        .addColumn("permanent_limit", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("short_keys")
        .addColumn("short_key", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("long_data", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expire_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("short_keys_expire_at").on("short_keys").column("expire_at").execute();
    },
  },
];
