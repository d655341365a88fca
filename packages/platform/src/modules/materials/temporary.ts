/**
 * Temporary media rows (material.md §2, §0.3): uploads, JS-SDK uploads, and the mass-send article
 * groups and videos of uploadnews/uploadvideo. A row is readable until `expires_at` (inclusive,
 * platform clock); the sweep removes rows a day after that and lets their blobs go.
 */
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { BlobStore } from "./blobs.js";
import { newMediaId } from "./ids.js";
import type { MediaTable } from "./tables.js";

export type TemporaryType = "image" | "voice" | "video" | "thumb" | "news" | "mpvideo";
export type MediaSource = "api" | "jssdk" | "user";

export interface NewFileMedia {
  appid: string;
  type: "image" | "voice" | "video" | "thumb";
  source: MediaSource;
  data: Buffer;
  filename: string;
  contentType: string;
  ext: string;
  meta?: Record<string, unknown>;
}

/** Store the bytes and the row; answers the row. */
export async function saveTemporaryFile(
  w: World,
  blobs: BlobStore,
  m: NewFileMedia,
  lifetimeMs: number,
): Promise<MediaTable> {
  const hash = await blobs.put(m.data);
  const now = w.clock.now();
  const row: MediaTable = {
    media_id: newMediaId(),
    appid: m.appid,
    type: m.type,
    source: m.source,
    blob_hash: hash,
    size: m.data.length,
    filename: m.filename,
    content_type: m.contentType,
    ext: m.ext,
    meta: JSON.stringify(m.meta ?? {}),
    created_at: now,
    expires_at: now + lifetimeMs,
  };
  await w.db.insertInto("media").values(row).execute();
  return row;
}

/** A temporary row without bytes: an uploadnews group (`news`) or an uploadvideo id (`mpvideo`). */
export async function saveTemporaryRecord(
  w: World,
  appid: string,
  type: "news" | "mpvideo",
  meta: Record<string, unknown>,
  lifetimeMs: number,
): Promise<MediaTable> {
  const now = w.clock.now();
  const row: MediaTable = {
    media_id: newMediaId(),
    appid,
    type,
    source: "api",
    blob_hash: null,
    size: 0,
    filename: "",
    content_type: "",
    ext: "",
    meta: JSON.stringify(meta),
    created_at: now,
    expires_at: now + lifetimeMs,
  };
  await w.db.insertInto("media").values(row).execute();
  return row;
}

/** The account's temporary media `mediaId`, unless unknown, another account's, or expired at `now`. */
export async function findTemporary(
  db: Db,
  appid: string,
  mediaId: string,
  now: number,
): Promise<MediaTable | undefined> {
  if (mediaId === "") return undefined;
  const row = await db.selectFrom("media").selectAll().where("media_id", "=", mediaId).executeTakeFirst();
  if (!row || row.appid !== appid || now > row.expires_at) return undefined;
  return row;
}

export const metaOf = <T>(row: { meta: string }, fallback: T): T => parseJsonColumn<T>(row.meta, fallback);

/** Remove rows expired more than `graceMs` ago; answers how many. */
export async function purgeExpired(db: Db, now: number, graceMs: number): Promise<number> {
  const r = await db
    .deleteFrom("media")
    .where("expires_at", "<", now - graceMs)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
