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
];
