/** Migrations of the tokens module: the issued access tokens of both series. */
import type { Migration } from "../../db/migrate.js";

export const tokenMigrations: Migration[] = [
  {
    id: "tokens.001_access_tokens",
    async up(db) {
      await db.schema
        .createTable("access_tokens")
        .addColumn("token", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("issued_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("valid_until", "bigint")
        .addColumn("forced", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("access_tokens_appid")
        .on("access_tokens")
        .columns(["appid", "kind", "issued_at"])
        .execute();
    },
  },
];
