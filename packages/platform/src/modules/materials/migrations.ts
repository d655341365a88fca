/** Tables of the materials module (see tables.ts). */
import { sql } from "kysely";
import type { Migration } from "../../db/migrate.js";

export const materialsMigrations: Migration[] = [
  {
    id: "materials.001_media_materials_drafts",
    async up(db, dialect) {
      await db.schema
        .createTable("media")
        .addColumn("media_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("blob_hash", "text")
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("filename", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("ext", "text", (c) => c.notNull())
        .addColumn("meta", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("media_expiry").on("media").column("expires_at").execute();
      await db.schema.createIndex("media_blob").on("media").column("blob_hash").execute();
      await db.schema
        .createTable("materials")
        .addColumn("media_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("blob_hash", "text")
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("filename", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("ext", "text", (c) => c.notNull())
        .addColumn("url_id", "text", (c) => c.notNull())
        .addColumn("meta", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("materials_list")
        .on("materials")
        .columns(["appid", "type", "updated_at", "media_id"])
        .execute();
      await db.schema.createIndex("materials_blob").on("materials").column("blob_hash").execute();
      await db.schema
        .createTable("image_urls")
        .addColumn("url_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("blob_hash", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("fmt", "text", (c) => c.notNull())
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("image_urls_blob").on("image_urls").column("blob_hash").execute();
      await db.schema
        .createTable("drafts")
        .addColumn("media_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("articles", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("drafts_list")
        .on("drafts")
        .columns(["appid", "updated_at", "media_id"])
        .execute();
      await db.schema
        .createTable("publications")
        .addColumn("publish_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("draft_id", "text", (c) => c.notNull())
        .addColumn("msg_data_id", "text", (c) => c.notNull())
        .addColumn("article_id", "text", (c) => c.notNull())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("articles", "text", (c) => c.notNull())
        .addColumn("deleted", "text", (c) => c.notNull())
        .addColumn("fail_idx", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .addColumn("event_pushed", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("publications_article")
        .on("publications")
        .columns(["appid", "article_id"])
        .execute();
      await db.schema
        .createIndex("publications_unfinished")
        .on("publications")
        .columns(["event_pushed", "status"])
        .execute();
      await db.schema
        .createTable("material_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("draft_open", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("material_policies")
        .addColumn("scope", "text", (c) => c.primaryKey())
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("blob_index")
        .addColumn("hash", "text", (c) => c.primaryKey())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("chunks", "integer", (c) => c.notNull())
        .addColumn("touched_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("blob_chunks")
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("data", dialect === "postgres" ? sql`bytea` : "blob", (c) => c.notNull())
        .addPrimaryKeyConstraint("blob_chunks_pk", ["hash", "seq"])
        .execute();
    },
  },
];
