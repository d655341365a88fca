/**
 * The simulated users' tables: users, follows (with the account's notes on each follower: remark,
 * blacklist, legacy group) and UnionIDs. Migration ids are never renamed: the two `user-api.*` ones
 * were written when the followers module (then `user-api`) added its columns itself; they belong
 * here now, with the table they change.
 */
import { sql } from "kysely";
import type { Migration } from "../../db/migrate.js";

export const userMigrations: Migration[] = [
  {
    id: "users.001_users_follows",
    async up(db) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("nickname", "text", (c) => c.notNull())
        .addColumn("avatar_url", "text", (c) => c.notNull())
        .addColumn("sex", "integer", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("country", "text", (c) => c.notNull())
        .addColumn("province", "text", (c) => c.notNull())
        .addColumn("city", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("follows")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull().unique())
        .addColumn("subscribed", "integer", (c) => c.notNull())
        .addColumn("subscribe_time", "bigint", (c) => c.notNull())
        .addColumn("subscribe_scene", "text", (c) => c.notNull())
        .addColumn("qr_scene", "integer", (c) => c.notNull())
        .addColumn("qr_scene_str", "text", (c) => c.notNull())
        .addColumn("unsubscribe_time", "bigint")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("follows_pk", ["appid", "user_id"])
        .execute();
      // user/get walks an account's followers in OpenID order.
      await db.schema
        .createIndex("follows_appid_openid")
        .on("follows")
        .columns(["appid", "openid"])
        .execute();
      await db.schema
        .createTable("unionids")
        .addColumn("open_platform_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("unionid", "text", (c) => c.notNull().unique())
        .addPrimaryKeyConstraint("unionids_pk", ["open_platform_id", "user_id"])
        .execute();
    },
  },
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
  {
    id: "user-api.002_users_unionids_without_rowid",
    async up(db, dialect) {
      // SQLite: users and UnionIDs keyed by their primary key alone (WITHOUT ROWID), so user/info
      // finds a UnionID in one B-tree instead of an index plus the table, and seeding fills one
      // B-tree per table instead of two. PostgreSQL keeps its heap tables and primary-key indexes.
      if (dialect !== "sqlite") return;
      await sql`create table users_new (id text primary key, nickname text not null,
        avatar_url text not null, sex integer not null, language text not null, country text not null,
        province text not null, city text not null, created_at bigint not null) without rowid`.execute(db);
      await sql`insert into users_new select id, nickname, avatar_url, sex, language, country, province,
        city, created_at from users`.execute(db);
      await sql`drop table users`.execute(db);
      await sql`alter table users_new rename to users`.execute(db);
      await sql`create table unionids_new (open_platform_id text not null, user_id text not null,
        unionid text not null unique, primary key (open_platform_id, user_id)) without rowid`.execute(db);
      await sql`insert into unionids_new select open_platform_id, user_id, unionid from unionids`.execute(db);
      await sql`drop table unionids`.execute(db);
      await sql`alter table unionids_new rename to unionids`.execute(db);
      // A user's language from a B-tree of a quarter the size (more of it stays cached).
      await sql`create index users_language on users (id, language)`.execute(db);
    },
  },
  {
    id: "users.002_follows_groupid",
    async up(db, dialect) {
      // The legacy group column. Data folders from before this migration have it already: the
      // follower-tags module's first migration added it then.
      const existing =
        dialect === "sqlite"
          ? sql`select name from pragma_table_info('follows') where name = 'groupid'`
          : sql`select column_name from information_schema.columns where table_schema = current_schema()
              and table_name = 'follows' and column_name = 'groupid'`;
      if ((await existing.execute(db)).rows.length > 0) return;
      await db.schema
        .alterTable("follows")
        .addColumn("groupid", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
];
