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
];
