/** Migrations of the OAuth module. */
import type { Migration } from "../../db/migrate.js";

export const oauthMigrations: Migration[] = [
  {
    id: "oauth.001_codes_tokens",
    async up(db) {
      await db.schema
        .createTable("oauth_codes")
        .addColumn("code", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("snapshot", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("used_at", "bigint")
        .execute();
      await db.schema.createIndex("oauth_codes_expires_at").on("oauth_codes").column("expires_at").execute();
      for (const table of ["oauth_tokens", "oauth_refresh_tokens"]) {
        let t = db.schema
          .createTable(table)
          .addColumn("token", "text", (c) => c.primaryKey())
          .addColumn("appid", "text", (c) => c.notNull())
          .addColumn("user_id", "text", (c) => c.notNull())
          .addColumn("openid", "text", (c) => c.notNull())
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("snapshot", "integer", (c) => c.notNull());
        if (table === "oauth_tokens") t = t.addColumn("refresh_token", "text", (c) => c.notNull());
        await t
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .addColumn("revoked", "integer", (c) => c.notNull())
          .execute();
        await db.schema.createIndex(`${table}_user`).on(table).columns(["user_id", "appid"]).execute();
        await db.schema.createIndex(`${table}_expires_at`).on(table).column("expires_at").execute();
      }
      await db.schema
        .createTable("oauth_consents")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("approved_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("oauth_consents_pk", ["appid", "user_id", "scope"])
        .execute();
      await db.schema
        .createTable("oauth_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("settings", "text", (c) => c.notNull())
        .execute();
    },
  },
];
