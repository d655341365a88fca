/** `draft/*` endpoints: the draft box (material.md §4). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { indexIn, pageOf, permanentArticleRules } from "./api-material.js";
import { newsItems, parseArticle, parseArticles, withDigests } from "./articles.js";
import {
  addDraft,
  countDrafts,
  draftArticles,
  draftBoxOpen,
  findDraft,
  listDrafts,
  openDraftBox,
  removeDraft,
  replaceDraftArticles,
} from "./drafts.js";
import type { MaterialsEnv } from "./env.js";
import { articleSlug } from "./ids.js";
import { materialPolicies } from "./policy.js";
import { rejectEscapes } from "./unicode.js";

const invalidMedia = () => new WechatApiError(ErrorCode.InvalidMediaId);
const idOf = (v: unknown) => (typeof v === "string" ? v : "");

export function draftUrlOf(env: MaterialsEnv, appid: string, mediaId: string) {
  return (idx: number) => `${env.base()}/s/${articleSlug({ source: "d", appid, id: mediaId, idx })}`;
}

export function implementDraftApi(env: MaterialsEnv): void {
  const { ctx } = env;

  ctx.implement(
    catalog.draft.add,
    async (fields, { account, rawBody }) => {
      const policy = await materialPolicies.of(ctx.db, account.appid);
      rejectEscapes(policy, rawBody);
      const rules = { ...permanentArticleRules(env, account.appid, policy), showCoverDefault: 1 };
      return { articles: await parseArticles(fields.articles, rules) };
    },
    async ({ input, account }) => {
      const row = await addDraft(ctx, account.appid, input.articles);
      env.changed({ appid: account.appid, what: "draft", id: row.media_id, action: "added" });
      return { media_id: row.media_id };
    },
  );

  ctx.implement(catalog.draft.get, async ({ input, account }) => {
    const row = await findDraft(ctx.db, account.appid, input.media_id);
    if (!row) throw invalidMedia();
    return {
      news_item: await newsItems(
        ctx.db,
        env.base(),
        draftArticles(row),
        draftUrlOf(env, account.appid, row.media_id),
      ),
    };
  });

  ctx.implement(catalog.draft.delete, async ({ input, account }) => {
    if (!(await removeDraft(ctx.db, account.appid, input.media_id))) throw invalidMedia();
    env.changed({ appid: account.appid, what: "draft", id: input.media_id, action: "deleted" });
    return ok();
  });

  ctx.implement(
    catalog.draft.update,
    async (fields, { account, rawBody }) => {
      const policy = await materialPolicies.of(ctx.db, account.appid);
      rejectEscapes(policy, rawBody);
      const row = await findDraft(ctx.db, account.appid, idOf(fields.media_id));
      if (!row) throw invalidMedia();
      const articles = draftArticles(row);
      const index = indexIn(fields.index, articles.length);
      const rules = { ...permanentArticleRules(env, account.appid, policy), showCoverDefault: 1 };
      const article = await parseArticle(fields.articles, rules);
      return {
        mediaId: row.media_id,
        articles: withDigests(
          articles.map((a, i) => (i === index ? article : a)),
          54,
        ),
      };
    },
    async ({ input, account }) => {
      await replaceDraftArticles(ctx, input.mediaId, input.articles);
      env.changed({ appid: account.appid, what: "draft", id: input.mediaId, action: "updated" });
      return ok();
    },
  );

  ctx.implement(catalog.draft.count, async ({ account }) => ({
    total_count: await countDrafts(ctx.db, account.appid),
  }));

  ctx.implement(catalog.draft.batchGet, pageOf, async ({ input, account }) => {
    const { appid } = account;
    const rows = await listDrafts(ctx.db, appid, input.offset, input.count);
    const item = [];
    for (const r of rows) {
      const news = await newsItems(ctx.db, env.base(), draftArticles(r), draftUrlOf(env, appid, r.media_id), {
        noContent: input.noContent,
      });
      item.push({
        media_id: r.media_id,
        content: { news_item: news },
        update_time: Math.floor(r.updated_at / 1000),
      });
    }
    return { total_count: await countDrafts(ctx.db, appid), item_count: item.length, item };
  });

  ctx.implement(catalog.draft.switch, async ({ input, account }) => {
    if (input.checkonly !== 1) await openDraftBox(ctx.db, account.appid);
    return { errcode: 0, errmsg: "ok", is_open: (await draftBoxOpen(ctx.db, account.appid)) ? 1 : 0 };
  });
}
