import { sql } from "kysely";
import type { Migration } from "../../db/migrate.js";

export const userApiMigrations: Migration[] = [
  {
    id: "user-api.001_remark_blacklist_list",
    async up(db) {
      await db.schema
        .alterTable("follows")
        .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
        .execute();
      await db.schema
        .alterTable("follows")
        .addColumn("blacklisted", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("follows").addColumn("blacklisted_at", "bigint").execute();
      // user/get: keyset paging in follow order (subscribe_time, then OpenID) and the follower count.
      await db.schema
        .createIndex("follows_followers")
        .on("follows")
        .columns(["appid", "subscribed", "subscribe_time", "openid"])
        .execute();
      // getblacklist pages in OpenID order; partial, so it costs nothing for the many not blacklisted.
      await db.schema
        .createIndex("follows_blacklisted")
        .on("follows")
        .columns(["appid", "openid"])
        .where(sql.ref("blacklisted"), "=", 1)
        .execute();
    },
  },
];
