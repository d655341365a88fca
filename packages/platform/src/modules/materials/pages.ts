/**
 * What the platform serves at WeChat's CDN and article addresses: images (`/mmbiz_<fmt>/<id>/0`),
 * video downloads (`/mmvideo/<media_id>`: media/get's `video_url`, get_material's `down_url`) and
 * article pages (`/s/<slug>`). Article bodies were sanitised when stored; the page is also served
 * sandboxed (no script runs, whatever slipped through), since it shares the platform's origin.
 */
import { html, pageFrame, safe } from "../../http/html.js";
import type { StoredArticle } from "./articles.js";
import { draftArticles, findDraft } from "./drafts.js";
import type { ArticleGroup, MaterialsEnv } from "./env.js";
import { parseArticleSlug } from "./ids.js";
import { findImage } from "./images.js";
import { findPermanent } from "./permanent.js";
import { DELETED_BY_USER, deletedOf, findByArticleId, publicationArticles } from "./publish.js";
import { metaOf } from "./temporary.js";

const PAGE_POLICY = "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'; media-src *";

const live = (articles: StoredArticle[]): ArticleGroup => ({ articles, deleted: new Set() });

/** The built-in article sources: permanent news, drafts, published groups. */
export function addBuiltInSources(env: MaterialsEnv): void {
  const { db } = env.ctx;
  env.sources.set("n", async (appid, id) => {
    const row = await findPermanent(db, appid, id);
    return row?.type === "news" ? live(metaOf(row, { articles: [] as StoredArticle[] }).articles) : null;
  });
  env.sources.set("d", async (appid, id) => {
    const row = await findDraft(db, appid, id);
    return row ? live(draftArticles(row)) : null;
  });
  env.sources.set("p", async (appid, id) => {
    const p = await findByArticleId(db, appid, id);
    if (!p) return null;
    return { articles: publicationArticles(p), deleted: p.status === DELETED_BY_USER ? "all" : deletedOf(p) };
  });
}

function articlePage(a: StoredArticle): string {
  return pageFrame(
    a.title,
    html`<article class="card"><h1>${a.title}</h1>
<p class="muted">${a.author}</p>
<div class="content">${safe(a.content)}</div>
${/^https?:\/\//i.test(a.content_source_url) ? html`<p><a href="${a.content_source_url}">阅读原文 · Read the original</a></p>` : ""}</article>`,
  );
}

const GONE_PAGE = pageFrame(
  "此内容已被发布者删除",
  html`<div class="card"><h1>此内容已被发布者删除</h1><p class="muted">This content has been deleted by its publisher.</p></div>`,
);

export function addPages(env: MaterialsEnv): void {
  const { ctx, blobs } = env;
  ctx.app.register(async (scope) => {
    for (const fmt of ["jpg", "png", "gif", "bmp"]) {
      scope.get<{ Params: { id: string } }>(`/mmbiz_${fmt}/:id/0`, async (req, reply) => {
        const img = await findImage(ctx.db, req.params.id);
        const stream = img ? await blobs.open(img.blob_hash) : null;
        if (!img || !stream) return reply.code(404).type("text/plain").send("not found");
        return reply.type(img.content_type).header("cache-control", "max-age=86400").send(stream);
      });
    }
    scope.get<{ Params: { id: string } }>("/mmvideo/:id", async (req, reply) => {
      const id = req.params.id;
      const row =
        (await ctx.db.selectFrom("media").selectAll().where("media_id", "=", id).executeTakeFirst()) ??
        (await ctx.db.selectFrom("materials").selectAll().where("media_id", "=", id).executeTakeFirst());
      const expired = row && "expires_at" in row && ctx.clock.now() > row.expires_at;
      const stream =
        row?.type === "video" && row.blob_hash && !expired ? await blobs.open(row.blob_hash) : null;
      if (!row || !stream) return reply.code(404).type("text/plain").send("not found");
      return reply.type(row.content_type).header("content-length", String(row.size)).send(stream);
    });
    scope.get<{ Params: { slug: string } }>("/s/:slug", async (req, reply) => {
      reply.header("content-security-policy", PAGE_POLICY).type("text/html; charset=utf-8");
      const ref = parseArticleSlug(req.params.slug);
      const source = ref ? env.sources.get(ref.source) : undefined;
      const group = ref && source ? await source(ref.appid, ref.id) : null;
      const article = ref ? group?.articles[ref.idx - 1] : undefined;
      if (!ref || !group || !article) return reply.code(404).send(GONE_PAGE);
      if (group.deleted === "all" || group.deleted.has(ref.idx)) return reply.send(GONE_PAGE);
      return reply.send(articlePage(article));
    });
  });
}
