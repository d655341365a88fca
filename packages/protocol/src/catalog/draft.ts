/**
 * The draft box (草稿箱, spec/material.md §4): article groups kept for editing until they are
 * published or mass-sent (then they leave the box), and the switch that opens the box.
 */
import { Type } from "@sinclair/typebox";
import { Ok } from "../schemas.js";
import { Article, NewsContent, NewsItem, PageRequest } from "./articles.js";
import { endpoint, group } from "./endpoint.js";

const MediaIdBody = Type.Object({ media_id: Type.String() });

export const draft = group("draft", {
  /**
   * 新建草稿
   *
   * Add a draft of 1–8 articles; returns its media_id.
   *
   * See spec/material.md §4.
   */
  add: endpoint({
    title: "新建草稿",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/add",
    permission: "material",
    request: Type.Object({ articles: Type.Array(Article) }),
    response: Type.Object({ media_id: Type.String() }),
  }),
  /**
   * 获取草稿
   *
   * Read a draft's articles.
   *
   * See spec/material.md §4.
   */
  get: endpoint({
    title: "获取草稿",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/get",
    permission: "material",
    request: MediaIdBody,
    response: Type.Object({ news_item: Type.Array(NewsItem) }),
  }),
  /**
   * 删除草稿
   *
   * Delete a draft.
   *
   * See spec/material.md §4.
   */
  delete: endpoint({
    title: "删除草稿",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/delete",
    permission: "material",
    request: MediaIdBody,
    response: Ok,
  }),
  /**
   * 修改草稿
   *
   * Replace the article at `index` (0-based) of a draft.
   *
   * See spec/material.md §4.
   */
  update: endpoint({
    title: "修改草稿",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/update",
    permission: "material",
    request: Type.Object({ media_id: Type.String(), index: Type.Integer(), articles: Article }),
    response: Ok,
  }),
  /**
   * 获取草稿总数
   *
   * How many drafts the box holds.
   *
   * See spec/material.md §4.
   */
  count: endpoint({
    title: "获取草稿总数",
    method: "GET",
    host: "api",
    path: "/cgi-bin/draft/count",
    permission: "material",
    request: Type.Object({}),
    response: Type.Object({ total_count: Type.Integer() }),
  }),
  /**
   * 获取草稿列表
   *
   * A page (1–20, newest first) of drafts; `no_content: 1` leaves out the HTML.
   *
   * See spec/material.md §4.
   */
  batchGet: endpoint({
    title: "获取草稿列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/batchget",
    permission: "material",
    request: PageRequest,
    response: Type.Object({
      total_count: Type.Integer(),
      item_count: Type.Integer(),
      item: Type.Array(
        Type.Object({ media_id: Type.String(), content: NewsContent, update_time: Type.Integer() }),
      ),
    }),
  }),
  /**
   * 草稿箱开关设置
   *
   * Open the draft box and publishing (for good), or with `checkonly=1` only tell whether it is open.
   *
   * See spec/material.md §4.
   */
  switch: endpoint({
    title: "草稿箱开关设置",
    method: "POST",
    host: "api",
    path: "/cgi-bin/draft/switch",
    permission: "material",
    request: Type.Object({ checkonly: Type.Optional(Type.Integer()) }),
    // Clients post no body: the one parameter travels in the query.
    requestIn: "query",
    response: Type.Object({ errcode: Type.Number(), errmsg: Type.String(), is_open: Type.Integer() }),
  }),
});
