/** `material/*` endpoints: permanent materials (material.md §3). */
import { catalog, ErrorCode, LISTED_MATERIAL_TYPES, type ListedMaterialType } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { bytes } from "../../http/results.js";
import { mediaType } from "./api-media.js";
import {
  type ArticleRules,
  newsItems,
  parseArticle,
  parseArticles,
  type StoredArticle,
  withDigests,
} from "./articles.js";
import type { MaterialsEnv } from "./env.js";
import { articleSlug } from "./ids.js";
import { imageUrl } from "./images.js";
import { countLimit, UPLOAD_MAX_BYTES, uploadRule } from "./limits.js";
import {
  addPermanentFile,
  addPermanentNews,
  countPermanent,
  deletePermanent,
  findPermanent,
  listPermanent,
  type PermanentType,
  replaceNewsArticles,
} from "./permanent.js";
import { type MaterialPolicy, materialPolicies } from "./policy.js";
import type { MaterialTable } from "./tables.js";
import { metaOf } from "./temporary.js";
import { rejectEscapes } from "./unicode.js";
import { checkUpload, downloadHeaders } from "./uploads.js";

const invalidMedia = () => new WechatApiError(ErrorCode.InvalidMediaId);
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A permanent image or thumb: the cover an article of a news material or draft must use. */
export async function isPermanentCover(env: MaterialsEnv, appid: string, id: string): Promise<boolean> {
  const p = await findPermanent(env.ctx.db, appid, id);
  return p?.type === "image" || p?.type === "thumb";
}

export function permanentArticleRules(
  env: MaterialsEnv,
  appid: string,
  policy: MaterialPolicy,
): ArticleRules {
  return {
    db: env.ctx.db,
    appid,
    policy,
    isCover: (id) => isPermanentCover(env, appid, id),
    digestChars: 54,
    keepLinks: true,
    showCoverDefault: 0,
  };
}

async function checkCount(env: MaterialsEnv, appid: string, type: PermanentType, policy: MaterialPolicy) {
  const counts = await countPermanent(env.ctx.db, appid);
  if (counts[type] >= countLimit(type, policy)) throw new WechatApiError(ErrorCode.MaterialCountOutOfLimit);
}

/** `description` of a video: JSON text with a title (40035 otherwise — emulator choice, material.md §3.2). */
function videoDescription(raw: unknown): { title: string; introduction: string } {
  let d: unknown;
  try {
    d = typeof raw === "string" ? JSON.parse(raw) : undefined;
  } catch {
    d = undefined;
  }
  const o = d as { title?: unknown; introduction?: unknown } | undefined;
  if (!o || typeof o !== "object" || typeof o.title !== "string" || o.title === "")
    throw new WechatApiError(ErrorCode.InvalidParameter);
  return { title: o.title, introduction: typeof o.introduction === "string" ? o.introduction : "" };
}

export function newsUrlOf(env: MaterialsEnv, appid: string, mediaId: string) {
  return (idx: number) => `${env.base()}/s/${articleSlug({ source: "n", appid, id: mediaId, idx })}`;
}

export function implementMaterialApi(env: MaterialsEnv): void {
  const { ctx, blobs } = env;
  const articlesOf = (row: MaterialTable) =>
    metaOf<{ articles: StoredArticle[] }>(row, { articles: [] }).articles;

  ctx.implement(
    catalog.material.addNews,
    async (fields, { account, rawBody }) => {
      const policy = await materialPolicies.of(ctx.db, account.appid);
      rejectEscapes(policy, rawBody);
      const articles = await parseArticles(
        fields.articles,
        permanentArticleRules(env, account.appid, policy),
      );
      await checkCount(env, account.appid, "news", policy);
      return { articles };
    },
    async ({ input, account }) => {
      const row = await addPermanentNews(ctx, account.appid, input.articles);
      env.changed({ appid: account.appid, what: "permanent", id: row.media_id, action: "added" });
      return { media_id: row.media_id };
    },
  );

  ctx.implement(
    catalog.material.add,
    async (fields, { account }) => {
      const type = mediaType(fields.type);
      const policy = await materialPolicies.of(ctx.db, account.appid);
      const file = checkUpload(fields.media, uploadRule(type, "permanent", policy), type === "voice");
      const description = type === "video" ? videoDescription(fields.description) : undefined;
      await checkCount(env, account.appid, type, policy);
      return { type, file, description };
    },
    async ({ input, account }) => {
      const { type, file, description } = input;
      const row = await addPermanentFile(ctx, blobs, {
        appid: account.appid,
        type,
        data: file.data,
        filename: file.filename,
        contentType: file.contentType,
        ext: file.format,
        meta: description ?? (file.seconds === null ? {} : { seconds: file.seconds }),
      });
      env.changed({ appid: account.appid, what: "permanent", id: row.media_id, action: "added" });
      return type === "image"
        ? { media_id: row.media_id, url: imageUrl(env.base(), row.url_id, row.ext) }
        : { media_id: row.media_id };
    },
    { maxFileBytes: UPLOAD_MAX_BYTES },
  );

  ctx.implement(catalog.material.get, async ({ input, account }) => {
    const row = await findPermanent(ctx.db, account.appid, input.media_id);
    if (!row) throw invalidMedia();
    if (row.type === "news") {
      return {
        news_item: await newsItems(
          ctx.db,
          env.base(),
          articlesOf(row),
          newsUrlOf(env, account.appid, row.media_id),
        ),
        create_time: seconds(row.created_at),
        update_time: seconds(row.updated_at),
      };
    }
    if (row.type === "video") {
      const d = metaOf(row, { title: "", introduction: "" });
      return {
        title: d.title,
        description: d.introduction,
        down_url: `${env.base()}/mmvideo/${row.media_id}`,
      };
    }
    const stream = row.blob_hash ? await blobs.open(row.blob_hash) : null;
    if (!stream) throw invalidMedia();
    return bytes(stream, row.content_type, downloadHeaders(row.media_id, row.ext, row.size));
  });

  ctx.implement(catalog.material.del, async ({ input, account }) => {
    const row = await findPermanent(ctx.db, account.appid, input.media_id);
    if (!row) throw invalidMedia();
    for (const check of env.inUse) {
      if (await check(account.appid, row.media_id))
        throw new WechatApiError(ErrorCode.ForbidRemoveMaterialInUse);
    }
    await deletePermanent(ctx.db, row);
    env.changed({ appid: account.appid, what: "permanent", id: row.media_id, action: "deleted" });
    return ok();
  });

  ctx.implement(
    catalog.material.updateNews,
    async (fields, { account, rawBody }) => {
      const policy = await materialPolicies.of(ctx.db, account.appid);
      rejectEscapes(policy, rawBody);
      const row = await findPermanent(
        ctx.db,
        account.appid,
        typeof fields.media_id === "string" ? fields.media_id : "",
      );
      if (row?.type !== "news") throw invalidMedia();
      const articles = articlesOf(row);
      const index = indexIn(fields.index, articles.length);
      // Older doc copies wrap the article in an array: take the one at `index` (or the only one).
      const raw = Array.isArray(fields.articles)
        ? (fields.articles[index] ?? fields.articles[0])
        : fields.articles;
      const article = await parseArticle(raw, permanentArticleRules(env, account.appid, policy));
      const next = articles.map((a, i) => (i === index ? article : a));
      return { mediaId: row.media_id, articles: withDigests(next, 54) };
    },
    async ({ input, account }) => {
      await replaceNewsArticles(ctx, input.mediaId, input.articles);
      env.changed({ appid: account.appid, what: "permanent", id: input.mediaId, action: "updated" });
      return ok();
    },
    { coerce: true },
  );

  ctx.implement(catalog.material.count, async ({ account }) => {
    const c = await countPermanent(ctx.db, account.appid);
    return { voice_count: c.voice, video_count: c.video, image_count: c.image, news_count: c.news };
  });

  ctx.implement(
    catalog.material.batchGet,
    (fields) => {
      const type = fields.type;
      if (typeof type !== "string" || !(LISTED_MATERIAL_TYPES as readonly string[]).includes(type))
        throw new WechatApiError(ErrorCode.InvalidMediaType);
      return { type: type as ListedMaterialType, ...pageOf(fields) };
    },
    async ({ input, account }) => {
      const { appid } = account;
      const total = (await countPermanent(ctx.db, appid))[input.type];
      const rows = await listPermanent(ctx.db, appid, input.type, input.offset, input.count);
      const item = [];
      for (const r of rows) {
        item.push(
          r.type === "news"
            ? {
                media_id: r.media_id,
                content: {
                  news_item: await newsItems(
                    ctx.db,
                    env.base(),
                    articlesOf(r),
                    newsUrlOf(env, appid, r.media_id),
                  ),
                },
                update_time: seconds(r.updated_at),
              }
            : {
                media_id: r.media_id,
                name: r.filename,
                update_time: seconds(r.updated_at),
                url: r.url_id ? imageUrl(env.base(), r.url_id, r.ext) : "",
              },
        );
      }
      return { total_count: total, item_count: item.length, item };
    },
  );
}

/** A 0-based article index inside a group of `length` (40114 otherwise). */
export function indexIn(raw: unknown, length: number): number {
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new WechatApiError(ErrorCode.DataFormatError);
  if (n < 0 || n >= length) throw new WechatApiError(ErrorCode.InvalidIndexValue);
  return n;
}

/** `offset` ≥ 0 and `count` 1..20 of the list endpoints (40035 otherwise — emulator choice, §3.7). */
export function pageOf(fields: Record<string, unknown>): {
  offset: number;
  count: number;
  noContent: boolean;
} {
  const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v);
  const offset = num(fields.offset);
  const count = num(fields.count);
  if (typeof offset !== "number" || typeof count !== "number")
    throw new WechatApiError(ErrorCode.DataFormatError);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > 20)
    throw new WechatApiError(ErrorCode.InvalidParameter);
  return { offset, count, noContent: num(fields.no_content) === 1 };
}
