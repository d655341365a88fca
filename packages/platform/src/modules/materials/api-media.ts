/**
 * `media/*` endpoints (material.md §2; mass-send.md §2–3): temporary uploads and downloads, the
 * JS-SDK high-quality voice, article images, and the mass-send article groups and videos.
 */
import { catalog, ErrorCode, MEDIA_TYPES, type MediaType } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import { bytes } from "../../http/results.js";
import { parseArticles } from "./articles.js";
import type { MaterialsEnv } from "./env.js";
import { addImageUrl, imageUrl } from "./images.js";
import { ARTICLE_IMAGE_RULE, UPLOAD_MAX_BYTES, uploadRule } from "./limits.js";
import { findPermanent } from "./permanent.js";
import { materialPolicies } from "./policy.js";
import { findTemporary, saveTemporaryFile, saveTemporaryRecord } from "./temporary.js";
import { rejectEscapes } from "./unicode.js";
import { checkUpload, downloadHeaders } from "./uploads.js";

const invalidMedia = () => new WechatApiError(ErrorCode.InvalidMediaId);
const seconds = (ms: number) => Math.floor(ms / 1000);

export function mediaType(v: unknown): MediaType {
  if (typeof v !== "string" || !(MEDIA_TYPES as readonly string[]).includes(v))
    throw new WechatApiError(ErrorCode.InvalidMediaType);
  return v as MediaType;
}

export function implementMediaApi(env: MaterialsEnv): void {
  const { ctx, blobs } = env;
  const big = { maxFileBytes: UPLOAD_MAX_BYTES };

  ctx.implement(
    catalog.media.upload,
    async (fields, { account }) => {
      const type = mediaType(fields.type);
      const policy = await materialPolicies.of(ctx.db, account.appid);
      const file = checkUpload(fields.media, uploadRule(type, "temporary", policy), type === "voice");
      return { type, file, lifetimeMs: policy.temporarySeconds * 1000 };
    },
    async ({ input, account }) => {
      const { type, file } = input;
      const row = await saveTemporaryFile(
        ctx,
        blobs,
        {
          appid: account.appid,
          type,
          source: "api",
          data: file.data,
          filename: file.filename,
          contentType: file.contentType,
          ext: file.format,
          meta: file.seconds === null ? {} : { seconds: file.seconds },
        },
        input.lifetimeMs,
      );
      env.changed({ appid: account.appid, what: "temporary", id: row.media_id, action: "added" });
      return {
        type,
        media_id: row.media_id,
        ...(type === "thumb" ? { thumb_media_id: row.media_id } : {}),
        created_at: seconds(row.created_at),
      };
    },
    big,
  );

  ctx.implement(catalog.media.get, async ({ input, account, now }) => {
    const row = await findTemporary(ctx.db, account.appid, input.media_id, now);
    if (!row?.blob_hash) throw invalidMedia();
    if (row.type === "video") return { video_url: `${env.base()}/mmvideo/${row.media_id}` };
    const stream = await blobs.open(row.blob_hash);
    if (!stream) throw invalidMedia();
    return bytes(stream, row.content_type, downloadHeaders(row.media_id, row.ext, row.size));
  });

  ctx.implement(catalog.media.getHdVoice, async ({ input, account, now }) => {
    const row = await findTemporary(ctx.db, account.appid, input.media_id, now);
    if (row?.source !== "jssdk" || row.type !== "voice" || !row.blob_hash) throw invalidMedia();
    const stream = await blobs.open(row.blob_hash);
    if (!stream) throw invalidMedia();
    return bytes(stream, "voice/speex", downloadHeaders(row.media_id, "speex", row.size));
  });

  ctx.implement(
    catalog.media.uploadImg,
    (fields) => ({ file: checkUpload(fields.media, ARTICLE_IMAGE_RULE, false) }),
    async ({ input, account, now }) => {
      const { file } = input;
      const hash = await blobs.put(file.data);
      const urlId = await addImageUrl(ctx.db, {
        appid: account.appid,
        hash,
        contentType: file.contentType,
        fmt: file.format,
        origin: "uploadimg",
        now,
      });
      env.changed({ appid: account.appid, what: "article_image", id: urlId, action: "added" });
      return { url: imageUrl(env.base(), urlId, file.format) };
    },
    big,
  );

  ctx.implement(
    catalog.media.uploadNews,
    async (fields, { account, now, rawBody }) => {
      const policy = await materialPolicies.of(ctx.db, account.appid);
      rejectEscapes(policy, rawBody);
      const articles = await parseArticles(fields.articles, {
        db: ctx.db,
        appid: account.appid,
        policy,
        // The current doc takes a temporary thumb; older SDKs pass permanent images (mass-send.md §2).
        isCover: async (id) => {
          const t = await findTemporary(ctx.db, account.appid, id, now);
          if (t) return t.type === "image" || t.type === "thumb";
          const p = await findPermanent(ctx.db, account.appid, id);
          return p?.type === "image" || p?.type === "thumb";
        },
        digestChars: 64,
        keepLinks: account.grants.includes("pay"),
        showCoverDefault: 0,
      });
      return { articles, lifetimeMs: policy.temporarySeconds * 1000 };
    },
    async ({ input, account }) => {
      const row = await saveTemporaryRecord(
        ctx,
        account.appid,
        "news",
        { articles: input.articles },
        input.lifetimeMs,
      );
      env.changed({ appid: account.appid, what: "temporary", id: row.media_id, action: "added" });
      return { type: "news", media_id: row.media_id, created_at: seconds(row.created_at) };
    },
  );

  ctx.implement(
    catalog.media.uploadVideo,
    async (fields, { account, now }) => {
      const id = typeof fields.media_id === "string" ? fields.media_id : "";
      const video = await findTemporary(ctx.db, account.appid, id, now);
      if (video?.type !== "video") throw invalidMedia();
      const text = (v: unknown) => (typeof v === "string" ? v : "");
      const policy = await materialPolicies.of(ctx.db, account.appid);
      return {
        meta: { source: id, title: text(fields.title), description: text(fields.description) },
        lifetimeMs: policy.temporarySeconds * 1000,
      };
    },
    async ({ input, account }) => {
      const row = await saveTemporaryRecord(ctx, account.appid, "mpvideo", input.meta, input.lifetimeMs);
      env.changed({ appid: account.appid, what: "temporary", id: row.media_id, action: "added" });
      return { type: "video", media_id: row.media_id, created_at: seconds(row.created_at) };
    },
  );
}
