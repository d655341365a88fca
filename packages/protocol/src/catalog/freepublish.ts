/**
 * Publishing (发布能力, spec/material.md §4): a draft submitted for publishing becomes a published
 * article group (an `article_id`) once the asynchronous job ends; the job's result is polled with
 * `get` and pushed as the PUBLISHJOBFINISH event.
 */
import { Type } from "@sinclair/typebox";
import { Ok } from "../schemas.js";
import { NewsContent, NewsItem, PageRequest } from "./articles.js";
import { endpoint, group } from "./endpoint.js";

const ArticleIdBody = Type.Object({ article_id: Type.String() });

export const freepublish = group("freepublish", {
  /**
   * 发布接口
   *
   * Publish a draft; answers the job's publish_id (the result comes later).
   *
   * See spec/material.md §4.
   */
  submit: endpoint({
    title: "发布接口",
    method: "POST",
    host: "api",
    path: "/cgi-bin/freepublish/submit",
    permission: "material",
    request: Type.Object({ media_id: Type.String() }),
    response: Type.Object({
      errcode: Type.Number(),
      errmsg: Type.String(),
      publish_id: Type.String(),
      msg_data_id: Type.Optional(Type.String()),
    }),
  }),
  /**
   * 发布状态轮询接口
   *
   * The state of a publishing job: 0 success (with the article id and URLs), 1 publishing, 2–6 failures.
   *
   * See spec/material.md §4.
   */
  get: endpoint({
    title: "发布状态轮询接口",
    method: "POST",
    host: "api",
    path: "/cgi-bin/freepublish/get",
    permission: "material",
    request: Type.Object({ publish_id: Type.String() }),
    response: Type.Object({
      publish_id: Type.String(),
      publish_status: Type.Integer(),
      article_id: Type.Optional(Type.String()),
      article_detail: Type.Optional(
        Type.Object({
          count: Type.Integer(),
          item: Type.Array(Type.Object({ idx: Type.Integer(), article_url: Type.String() })),
        }),
      ),
      fail_idx: Type.Array(Type.Integer()),
    }),
  }),
  /**
   * 删除发布
   *
   * Delete a published article group, or one article of it (`index`, 1-based; 0 or absent: all).
   *
   * See spec/material.md §4.
   */
  delete: endpoint({
    title: "删除发布",
    method: "POST",
    host: "api",
    path: "/cgi-bin/freepublish/delete",
    permission: "material",
    request: Type.Object({ article_id: Type.String(), index: Type.Optional(Type.Integer()) }),
    response: Ok,
  }),
  /**
   * 通过 article_id 获取已发布文章
   *
   * The articles of a published group, with their URLs and whether each was deleted.
   *
   * See spec/material.md §4.
   */
  getArticle: endpoint({
    title: "通过 article_id 获取已发布文章",
    method: "POST",
    host: "api",
    path: "/cgi-bin/freepublish/getarticle",
    permission: "material",
    request: ArticleIdBody,
    response: Type.Object({ news_item: Type.Array(NewsItem) }),
  }),
  /**
   * 获取成功发布列表
   *
   * A page (1–20, newest first) of the published article groups.
   *
   * See spec/material.md §4.
   */
  batchGet: endpoint({
    title: "获取成功发布列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/freepublish/batchget",
    permission: "material",
    request: PageRequest,
    response: Type.Object({
      total_count: Type.Integer(),
      item_count: Type.Integer(),
      item: Type.Array(
        Type.Object({ article_id: Type.String(), content: NewsContent, update_time: Type.Integer() }),
      ),
    }),
  }),
});
