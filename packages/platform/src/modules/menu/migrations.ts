/** Migrations of the menu module: menus, personalised menus, settings, simulated phones. */
import type { Migration } from "../../db/migrate.js";

export const menuMigrations: Migration[] = [
  {
    id: "menu.001_menus",
    async up(db) {
      await db.schema
        .createTable("menus")
        .addColumn("menuid", "bigint", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("buttons", "text", (c) => c.notNull())
        .addColumn("matchrule", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("menus_appid").on("menus").columns(["appid", "menuid"]).execute();
      await db.schema
        .createTable("menu_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("conditional_limit", "integer", (c) => c.notNull())
        .addColumn("privacy_mode", "integer", (c) => c.notNull())
        .addColumn("strict_charset", "integer", (c) => c.notNull())
        .addColumn("client_ttl_seconds", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("menu_clients")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("platform", "integer", (c) => c.notNull())
        .execute();
    },
  },
];
