/**
 * Articles (图文) in, articles out: the checks WeChat makes on an article group (material.md §3.1,
 * §4, §5; mass-send.md §2), the form it is kept in, and the `news_item` form it is answered in.
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import { accountImageIds, imageUrl } from "./images.js";
import type { MaterialPolicy } from "./policy.js";
import { imageSources, plainText, sanitizeArticleHtml } from "./sanitize.js";

export interface StoredArticle {
  title: string;
  author: string;
  digest: string;
  content: string;
  content_source_url: string;
  thumb_media_id: string;
  show_cover_pic: number;
  need_open_comment: number;
  only_fans_can_comment: number;
  pic_crop_235_1?: string;
  pic_crop_1_1?: string;
}

/** What a group may hold: 1 to 8 articles. */
export const MAX_ARTICLES = 8;
/** Content must stay under 20 000 characters and under 1 MB. */
const MAX_CONTENT_CHARS = 20_000;
const MAX_CONTENT_BYTES = 1024 * 1024;

export interface ArticleRules {
  db: Db;
  appid: string;
  policy: MaterialPolicy;
  /** Does this id name a cover the article may use (permanent image/thumb; uploadnews: temporary too)? */
  isCover(mediaId: string): Promise<boolean>;
  /** Characters of the body an empty digest of a single-article group takes (drafts 54, uploadnews 64). */
  digestChars: number;
  /** Keep `<a>` tags in the body (mass-send article groups: only accounts with WeChat Pay). */
  keepLinks: boolean;
  /** `show_cover_pic` when absent. */
  showCoverDefault: number;
}

type Obj = Record<string, unknown>;
const fail = (code: number): never => {
  throw new WechatApiError(code);
};

function text(o: Obj, key: string, required: boolean): string {
  const v = o[key];
  if (v === undefined || v === null) return required ? fail(ErrorCode.DataFormatError) : "";
  return typeof v === "string" ? v : fail(ErrorCode.DataFormatError);
}

function flag(o: Obj, key: string, fallback: number): number {
  const v = o[key];
  if (v === undefined || v === null || v === "") return fallback;
  const n = typeof v === "string" ? Number(v) : v;
  return n === 0 || n === 1 ? n : fail(ErrorCode.DataFormatError);
}

const chars = (s: string) => [...s].length;
const over = (s: string, max: number) => max > 0 && chars(s) > max;

/** The `articles` array of add_news, draft/add and uploadnews: 44003 empty, 45008 over 8, then each. */
export async function parseArticles(raw: unknown, rules: ArticleRules): Promise<StoredArticle[]> {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0))
    fail(ErrorCode.EmptyNewsData);
  if (!Array.isArray(raw)) return fail(ErrorCode.DataFormatError);
  if (raw.length > MAX_ARTICLES) fail(ErrorCode.ArticleSizeOutOfLimit);
  const out: StoredArticle[] = [];
  for (const a of raw) out.push(await parseArticle(a, rules));
  return withDigests(out, rules.digestChars);
}

/** One article (also update_news / draft/update). */
export async function parseArticle(raw: unknown, rules: ArticleRules): Promise<StoredArticle> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return fail(ErrorCode.DataFormatError);
  const o = raw as Obj;
  const title = text(o, "title", true);
  const content = text(o, "content", true);
  const author = text(o, "author", false);
  const digest = text(o, "digest", false);
  const source = text(o, "content_source_url", false);
  const thumb = text(o, "thumb_media_id", false);
  const { policy } = rules;
  if (chars(content) >= MAX_CONTENT_CHARS || Buffer.byteLength(content) >= MAX_CONTENT_BYTES)
    fail(ErrorCode.ContentSizeOutOfLimit);
  if (over(title, policy.titleMaxChars) || over(author, policy.authorMaxChars))
    fail(ErrorCode.TitleSizeOutOfLimit);
  if (over(digest, policy.digestMaxChars)) fail(ErrorCode.DescriptionSizeOutOfLimit);
  if (over(source, policy.sourceUrlMaxChars)) fail(ErrorCode.UrlSizeOutOfLimit);
  if (thumb === "" || !(await rules.isCover(thumb))) fail(ErrorCode.InvalidMediaId);
  const comment = flag(o, "need_open_comment", 0);
  const fansOnly = flag(o, "only_fans_can_comment", 0);
  if ((comment || fansOnly) && !policy.commentPrivilege) fail(ErrorCode.NoCommentPrivilege);
  const known = await accountImageIds(rules.db, rules.appid, imageSources(content));
  const article: StoredArticle = {
    title,
    author,
    digest,
    content: sanitizeArticleHtml(content, {
      keepImage: (src) => {
        const id = /\/mmbiz_(?:jpg|png|gif|bmp)\/([A-Za-z0-9_-]+)\/0/.exec(src)?.[1];
        return id !== undefined && known.has(id);
      },
      keepLinks: rules.keepLinks,
    }),
    content_source_url: source,
    thumb_media_id: thumb,
    show_cover_pic: flag(o, "show_cover_pic", rules.showCoverDefault),
    need_open_comment: comment,
    only_fans_can_comment: fansOnly,
  };
  for (const crop of ["pic_crop_235_1", "pic_crop_1_1"] as const) {
    const v = o[crop];
    if (typeof v === "string" && v !== "") article[crop] = v;
  }
  return article;
}

/** A single-article group without a digest gets the start of its text (multi-article groups have none). */
export function withDigests(articles: StoredArticle[], digestChars: number): StoredArticle[] {
  if (articles.length !== 1) return articles;
  return articles.map((a) =>
    a.digest === "" ? { ...a, digest: [...plainText(a.content)].slice(0, digestChars).join("") } : a,
  );
}

export interface NewsItemView extends StoredArticle {
  url: string;
  thumb_url: string;
  is_deleted?: boolean;
}

/**
 * Articles as WeChat answers them: with each page URL (`urlOf(idx)`, 1-based), the cover's URL
 * when it is a permanent image or thumb, and without the HTML when `noContent`.
 */
export async function newsItems(
  db: Db,
  base: string,
  articles: readonly StoredArticle[],
  urlOf: (idx: number) => string,
  opts: { noContent?: boolean; deleted?: ReadonlySet<number> } = {},
): Promise<NewsItemView[]> {
  const thumbs = [...new Set(articles.map((a) => a.thumb_media_id).filter((t) => t !== ""))];
  const covers = new Map<string, string>();
  if (thumbs.length > 0) {
    const rows = await db
      .selectFrom("materials")
      .select(["media_id", "url_id", "ext"])
      .where("media_id", "in", thumbs)
      .execute();
    for (const r of rows) if (r.url_id) covers.set(r.media_id, imageUrl(base, r.url_id, r.ext));
  }
  return articles.map((a, i) => ({
    ...a,
    content: opts.noContent ? "" : a.content,
    url: urlOf(i + 1),
    thumb_url: covers.get(a.thumb_media_id) ?? "",
    ...(opts.deleted ? { is_deleted: opts.deleted.has(i + 1) } : {}),
  }));
}
