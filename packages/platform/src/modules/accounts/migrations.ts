/** Migrations of the accounts module: accounts and open platforms. */
import type { Migration } from "../../db/migrate.js";

export const accountMigrations: Migration[] = [
  {
    id: "accounts.001_accounts",
    async up(db) {
      await db.schema
        .createTable("open_platforms")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("accounts")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("secret", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("original_id", "text", (c) => c.notNull().unique())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("verified", "integer", (c) => c.notNull())
        .addColumn("open_platform_id", "text")
        .addColumn("grants", "text", (c) => c.notNull())
        .addColumn("server_url", "text", (c) => c.notNull())
        .addColumn("server_token", "text", (c) => c.notNull())
        .addColumn("server_aes_key", "text", (c) => c.notNull())
        .addColumn("server_mode", "text", (c) => c.notNull())
        .addColumn("ip_whitelist", "text", (c) => c.notNull())
        .addColumn("oauth_domains", "text", (c) => c.notNull())
        .addColumn("jssdk_domains", "text", (c) => c.notNull())
        .addColumn("policies", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];
