/**
 * The materials module's tables: temporary media (3 days; also the mass-send article groups and
 * videos of uploadnews/uploadvideo), permanent materials, the served image URLs (uploadimg and
 * permanent images), drafts, publications, per-account settings and policies, and — on PostgreSQL —
 * the blobs themselves. File bytes live in the blob store, keyed by their SHA-256.
 */

/** Temporary media: `media/upload`, JS-SDK uploads, uploadnews (`news`) and uploadvideo (`mpvideo`). */
export interface MediaTable {
  media_id: string;
  appid: string;
  /** image | voice | video | thumb | news | mpvideo */
  type: string;
  /** api | jssdk | user: who made it (media/get/jssdk serves only `jssdk` voices). */
  source: string;
  /** SHA-256 (hex) of the bytes; null for news / mpvideo. */
  blob_hash: string | null;
  size: number;
  filename: string;
  content_type: string;
  /** File extension for `Content-disposition` (jpg, png, amr, mp4, …). */
  ext: string;
  /** JSON: news → { articles }, mpvideo → { source, title, description }, voice → { seconds }. */
  meta: string;
  created_at: number;
  expires_at: number;
}

/** Permanent materials: image | voice | video | thumb | news. */
export interface MaterialTable {
  media_id: string;
  appid: string;
  type: string;
  blob_hash: string | null;
  size: number;
  filename: string;
  content_type: string;
  ext: string;
  /** Images and thumbs: the id of their served URL (`image_urls`); else "". */
  url_id: string;
  /** JSON: news → { articles }, video → { title, introduction }. */
  meta: string;
  created_at: number;
  updated_at: number;
}

/** Images served at `/mmbiz_<fmt>/<url_id>/0`: uploadimg images and permanent images/thumbs. */
export interface ImageUrlTable {
  url_id: string;
  appid: string;
  blob_hash: string;
  content_type: string;
  /** jpg | png | gif | bmp */
  fmt: string;
  /** uploadimg | material */
  origin: string;
  created_at: number;
}

export interface DraftTable {
  media_id: string;
  appid: string;
  /** JSON array of stored articles. */
  articles: string;
  created_at: number;
  updated_at: number;
}

/** A publishing job and, once it succeeded, the published article group. */
export interface PublicationTable {
  publish_id: string;
  appid: string;
  /** The draft it came from. */
  draft_id: string;
  msg_data_id: string;
  /** "" until published. */
  article_id: string;
  /** 0 success, 1 publishing, 2–4 failures, 5 deleted by the user, 6 banned (material.md §4). */
  status: number;
  articles: string;
  /** JSON array of deleted article indexes (1-based). */
  deleted: string;
  fail_idx: string;
  created_at: number;
  finished_at: number | null;
  /** 1 once PUBLISHJOBFINISH is in the push outbox. */
  event_pushed: number;
}

/** Per-account switches (absent row = defaults). */
export interface MaterialSettingsTable {
  appid: string;
  /** draft/switch: 1 when the draft box and publishing are open. */
  draft_open: number;
}

/** Material policies: scope `*` (global) or an appid; `policy` is a JSON object of overrides. */
export interface MaterialPolicyTable {
  scope: string;
  policy: string;
  updated_at: number;
}

/** PostgreSQL blob store: one row per blob… */
export interface BlobIndexTable {
  hash: string;
  size: number;
  chunks: number;
  /** Last put (ms, real time): unreferenced blobs are collected only some minutes after it. */
  touched_at: number;
}

/** …and its bytes in chunks of 256 KiB, streamed one chunk at a time. */
export interface BlobChunkTable {
  hash: string;
  seq: number;
  data: Buffer;
}

declare module "../../db/schema.js" {
  interface Database {
    media: MediaTable;
    materials: MaterialTable;
    image_urls: ImageUrlTable;
    drafts: DraftTable;
    publications: PublicationTable;
    material_settings: MaterialSettingsTable;
    material_policies: MaterialPolicyTable;
    blob_index: BlobIndexTable;
    blob_chunks: BlobChunkTable;
  }
}
