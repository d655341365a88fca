/**
 * Permanent materials (spec/material.md §3): article groups (news), images, voices, videos and
 * thumbs that live until deleted, with per-kind count limits.
 */
import { Type } from "@sinclair/typebox";
import { BinaryFile, Ok, UploadFile } from "../schemas.js";
import { Article, NewsContent, NewsItem } from "./articles.js";
import { endpoint, group } from "./endpoint.js";
import { MEDIA_TYPES } from "./media.js";

/** Kinds `batchget_material` lists (thumbs are not listable). */
export const LISTED_MATERIAL_TYPES = ["image", "video", "voice", "news"] as const;
export type ListedMaterialType = (typeof LISTED_MATERIAL_TYPES)[number];

const MediaIdBody = Type.Object({ media_id: Type.String() });

export const material = group("material", {
  /**
   * 新增永久图文素材
   *
   * Add a permanent article group of 1–8 articles (legacy: drafts replace it); returns its media_id.
   *
   * See spec/material.md §3.1.
   */
  addNews: endpoint({
    title: "新增永久图文素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/add_news",
    permission: "material",
    request: Type.Object({ articles: Type.Array(Article) }),
    response: Type.Object({ media_id: Type.String() }),
  }),
  /**
   * 新增其他类型永久素材
   *
   * Add a permanent image, voice, video or thumb. A video needs `description`: JSON text
   * `{"title":…,"introduction":…}`. Images answer their `url` too.
   *
   * See spec/material.md §3.2.
   */
  add: endpoint({
    title: "新增其他类型永久素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/add_material",
    permission: "material",
    request: Type.Object({
      type: Type.Union(MEDIA_TYPES.map((t) => Type.Literal(t))),
      media: UploadFile,
      description: Type.Optional(Type.String()),
    }),
    requestIn: "multipart",
    queryKeys: ["type"],
    response: Type.Object({ media_id: Type.String(), url: Type.Optional(Type.String()) }),
  }),
  /**
   * 获取永久素材
   *
   * Fetch a permanent material: news and video as JSON, other kinds as the file itself.
   *
   * See spec/material.md §3.3.
   */
  get: endpoint({
    title: "获取永久素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/get_material",
    permission: "material",
    request: MediaIdBody,
    response: Type.Union([
      BinaryFile,
      Type.Object({
        news_item: Type.Array(NewsItem),
        create_time: Type.Optional(Type.Integer()),
        update_time: Type.Optional(Type.Integer()),
      }),
      Type.Object({ title: Type.String(), description: Type.String(), down_url: Type.String() }),
    ]),
    responseKind: "binary",
  }),
  /**
   * 删除永久素材
   *
   * Delete a permanent material (not one the menu uses: 48005).
   *
   * See spec/material.md §3.4.
   */
  del: endpoint({
    title: "删除永久素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/del_material",
    permission: "material",
    request: MediaIdBody,
    response: Ok,
  }),
  /**
   * 修改永久图文素材
   *
   * Replace the article at `index` (0-based) of a permanent article group.
   *
   * See spec/material.md §3.5.
   */
  updateNews: endpoint({
    title: "修改永久图文素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/update_news",
    permission: "material",
    request: Type.Object({
      media_id: Type.String(),
      index: Type.Integer(),
      /** One article; an array (older doc copies) is accepted too. */
      articles: Type.Union([Article, Type.Array(Article)]),
    }),
    response: Ok,
  }),
  /**
   * 获取素材总数
   *
   * How many permanent materials of each kind the account holds.
   *
   * See spec/material.md §3.6.
   */
  count: endpoint({
    title: "获取素材总数",
    method: "GET",
    host: "api",
    path: "/cgi-bin/material/get_materialcount",
    permission: "material",
    request: Type.Object({}),
    response: Type.Object({
      voice_count: Type.Integer(),
      video_count: Type.Integer(),
      image_count: Type.Integer(),
      news_count: Type.Integer(),
    }),
  }),
  /**
   * 获取素材列表
   *
   * A page (1–20, newest first) of the permanent materials of one kind.
   *
   * See spec/material.md §3.7.
   */
  batchGet: endpoint({
    title: "获取素材列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/material/batchget_material",
    permission: "material",
    request: Type.Object({
      type: Type.Union(LISTED_MATERIAL_TYPES.map((t) => Type.Literal(t))),
      offset: Type.Integer(),
      count: Type.Integer(),
    }),
    response: Type.Object({
      total_count: Type.Integer(),
      item_count: Type.Integer(),
      item: Type.Array(
        Type.Union([
          Type.Object({ media_id: Type.String(), content: NewsContent, update_time: Type.Integer() }),
          Type.Object({
            media_id: Type.String(),
            name: Type.String(),
            update_time: Type.Integer(),
            url: Type.String(),
          }),
        ]),
      ),
    }),
  }),
});
