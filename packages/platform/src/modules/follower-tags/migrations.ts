/** Tables of tags and legacy groups (the groups' per-follower column lives with `follows`). */
import type { Migration } from "../../db/migrate.js";

export const tagsMigrations: Migration[] = [
  {
    id: "tags.001_tags_groups",
    async up(db) {
      await db.schema
        .createTable("user_tags")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("tag_id", "integer", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("user_tags_pk", ["appid", "tag_id"])
        .execute();
      // Names are unique per account (45157); the index also settles concurrent creates.
      await db.schema
        .createIndex("user_tags_name")
        .unique()
        .on("user_tags")
        .columns(["appid", "name"])
        .execute();
      await db.schema
        .createTable("user_tag_members")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("tag_id", "integer", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("tagged_at", "bigint", (c) => c.notNull())
        // user/tag/get pages a tag's users in OpenID order on this key.
        .addPrimaryKeyConstraint("user_tag_members_pk", ["appid", "tag_id", "openid"])
        .execute();
      // tagid_list of one user (user/info, getidlist), in tagging order.
      await db.schema
        .createIndex("user_tag_members_openid")
        .on("user_tag_members")
        .columns(["appid", "openid", "seq"])
        .execute();
      await db.schema
        .createTable("user_counters")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("next_tag_id", "integer", (c) => c.notNull())
        .addColumn("next_group_id", "integer", (c) => c.notNull())
        .addColumn("next_member_seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("user_groups")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("group_id", "integer", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("user_groups_pk", ["appid", "group_id"])
        .execute();
    },
  },
];
