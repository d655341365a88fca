/** The cards module's tables (see tables.ts). */
import { sql } from "kysely";
import type { Migration } from "../../db/migrate.js";

export const cardMigrations: Migration[] = [
  {
    id: "cards.001_cards_codes",
    async up(db) {
      await db.schema
        .createTable("cards")
        .addColumn("card_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("card_type", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("quantity", "bigint", (c) => c.notNull())
        .addColumn("total_quantity", "bigint", (c) => c.notNull())
        .addColumn("get_limit", "integer", (c) => c.notNull())
        .addColumn("use_custom_code", "integer", (c) => c.notNull())
        .addColumn("bind_openid", "integer", (c) => c.notNull())
        .addColumn("begin_at", "bigint")
        .addColumn("end_at", "bigint")
        .addColumn("fixed_term", "integer", (c) => c.notNull())
        .addColumn("fixed_begin_term", "integer", (c) => c.notNull())
        .addColumn("review_at", "bigint")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("cards_appid").on("cards").columns(["appid", "created_at"]).execute();
      await db.schema.createIndex("cards_review").on("cards").columns(["status", "review_at"]).execute();
      await db.schema
        .createTable("card_codes")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("card_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("outer_str", "text", (c) => c.notNull())
        .addColumn("begin_at", "bigint", (c) => c.notNull())
        .addColumn("end_at", "bigint", (c) => c.notNull())
        .addColumn("received_at", "bigint")
        .addColumn("consumed_at", "bigint")
        .addPrimaryKeyConstraint("card_codes_pk", ["appid", "code"])
        .execute();
      await db.schema
        .createIndex("card_codes_card")
        .on("card_codes")
        .columns(["card_id", "status"])
        .execute();
      await db.schema.createIndex("card_codes_user").on("card_codes").columns(["appid", "openid"]).execute();
      await db.schema
        .createTable("card_whitelist")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("card_whitelist_pk", ["appid", "openid"])
        .execute();
      await db.schema
        .createTable("card_qrcodes")
        .addColumn("ticket", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("url_token", "text", (c) => c.notNull().unique())
        .addColumn("cards", "text", (c) => c.notNull())
        .addColumn("expire_at", "bigint", (c) => c.notNull())
        .addColumn("used", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("card_api_tickets")
        .addColumn("ticket", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("card_api_tickets_appid")
        .on("card_api_tickets")
        .columns(["appid", "expires_at"])
        .execute();
      await db.schema
        .createTable("card_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("review", "text", (c) => c.notNull())
        .addColumn("review_seconds", "integer", (c) => c.notNull())
        .execute();
    },
  },
  {
    // Card api_tickets move to the JS-SDK module's ticket table (type wx_card): one store for what
    // ticket/getticket issues and what card signatures are checked against.
    id: "cards.002_tickets_in_jssdk",
    async up(db) {
      await sql`insert into jssdk_tickets (ticket, appid, type, created_at, expires_at)
        select ticket, appid, 'wx_card', expires_at - 7200000, expires_at from card_api_tickets`.execute(db);
      await db.schema.dropTable("card_api_tickets").execute();
    },
  },
];
