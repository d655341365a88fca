/** Migrations of the conversations module: the message log of every (account, user) pair. */
import type { Migration } from "../../db/migrate.js";

export const conversationMigrations: Migration[] = [
  {
    id: "conversations.001_messages",
    async up(db) {
      await db.schema
        .createTable("messages")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("direction", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("msg_type", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("msg_id", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("messages_conversation")
        .on("messages")
        .columns(["appid", "user_id", "id"])
        .execute();
    },
  },
];
