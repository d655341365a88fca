/** `freepublish/*` endpoints: publishing drafts and the published article groups (material.md §4). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { pageOf } from "./api-material.js";
import { newsItems } from "./articles.js";
import { findDraft } from "./drafts.js";
import type { MaterialsEnv } from "./env.js";
import {
  DELETED_BY_USER,
  deletedOf,
  findByArticleId,
  findPublication,
  PUBLISHED,
  type Publisher,
  publicationArticles,
  publishedUrlOf,
} from "./publish.js";
import type { PublicationTable } from "./tables.js";

const invalidArticle = () => new WechatApiError(ErrorCode.InvalidArticleId);

export function implementPublishApi(env: MaterialsEnv, publisher: Publisher): void {
  const { ctx } = env;
  const items = (p: PublicationTable, noContent = false) =>
    newsItems(ctx.db, env.base(), publicationArticles(p), publishedUrlOf(env, p), {
      noContent,
      deleted:
        p.status === DELETED_BY_USER ? new Set(publicationArticles(p).map((_, i) => i + 1)) : deletedOf(p),
    });

  ctx.implement(catalog.freepublish.submit, async ({ input, account }) => {
    if (!(await findDraft(ctx.db, account.appid, input.media_id)))
      throw new WechatApiError(ErrorCode.InvalidMediaId);
    const p = await publisher.submit(account.appid, input.media_id);
    env.changed({ appid: account.appid, what: "publication", id: p.publish_id, action: "added" });
    return { errcode: 0, errmsg: "ok", publish_id: p.publish_id, msg_data_id: p.msg_data_id };
  });

  ctx.implement(catalog.freepublish.get, async ({ input, account }) => {
    const p = await findPublication(ctx.db, account.appid, input.publish_id);
    if (!p) throw new WechatApiError(ErrorCode.InvalidPublishId);
    const count = publicationArticles(p).length;
    const urlOf = publishedUrlOf(env, p);
    return {
      publish_id: p.publish_id,
      publish_status: p.status,
      ...(p.article_id
        ? {
            article_id: p.article_id,
            article_detail: {
              count,
              item: Array.from({ length: count }, (_, i) => ({ idx: i + 1, article_url: urlOf(i + 1) })),
            },
          }
        : {}),
      fail_idx: [],
    };
  });

  ctx.implement(catalog.freepublish.delete, async ({ input, account }) => {
    const p = await findByArticleId(ctx.db, account.appid, input.article_id);
    if (!p || p.status === DELETED_BY_USER) throw invalidArticle();
    const count = publicationArticles(p).length;
    const index = input.index ?? 0;
    if (index < 0 || index > count) throw new WechatApiError(ErrorCode.InvalidArticleIdx);
    const deleted = deletedOf(p);
    if (index === 0) for (let i = 1; i <= count; i++) deleted.add(i);
    else deleted.add(index);
    await ctx.db
      .updateTable("publications")
      .set({
        deleted: JSON.stringify([...deleted].sort((a, b) => a - b)),
        status: deleted.size >= count ? DELETED_BY_USER : p.status,
      })
      .where("publish_id", "=", p.publish_id)
      .execute();
    env.changed({ appid: account.appid, what: "publication", id: p.publish_id, action: "updated" });
    return ok();
  });

  ctx.implement(catalog.freepublish.getArticle, async ({ input, account }) => {
    const p = await findByArticleId(ctx.db, account.appid, input.article_id);
    if (!p) throw invalidArticle();
    return { news_item: await items(p) };
  });

  ctx.implement(catalog.freepublish.batchGet, pageOf, async ({ input, account }) => {
    const base = ctx.db
      .selectFrom("publications")
      .where("appid", "=", account.appid)
      .where("status", "=", PUBLISHED);
    const total = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
    const rows = await base
      .selectAll()
      .orderBy("finished_at", "desc")
      .orderBy("publish_id", "desc")
      .offset(input.offset)
      .limit(input.count)
      .execute();
    const item = [];
    for (const p of rows) {
      item.push({
        article_id: p.article_id,
        content: { news_item: await items(p, input.noContent) },
        update_time: Math.floor((p.finished_at ?? p.created_at) / 1000),
      });
    }
    return { total_count: Number(total?.n ?? 0), item_count: item.length, item };
  });
}
