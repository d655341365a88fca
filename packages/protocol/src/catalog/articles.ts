/**
 * Rich-media articles (图文), as permanent news materials, drafts, mass-send article groups and
 * published articles carry them (spec/material.md §3.1, §4; mass-send.md §2). The request form is
 * loose where SDKs differ (`show_cover_pic` as 1 or "1"); the platform checks the rules itself.
 */
import { Type } from "@sinclair/typebox";

/** 0/1 flags: some SDKs send them as numbers, others as "0"/"1". */
const Flag = Type.Union([Type.Integer(), Type.String()]);

/** One article as a developer sends it. */
export const Article = Type.Object({
  title: Type.String(),
  thumb_media_id: Type.Optional(Type.String()),
  author: Type.Optional(Type.String()),
  digest: Type.Optional(Type.String()),
  show_cover_pic: Type.Optional(Flag),
  content: Type.String(),
  content_source_url: Type.Optional(Type.String()),
  need_open_comment: Type.Optional(Flag),
  only_fans_can_comment: Type.Optional(Flag),
  /** Drafts: cover crops, `X1_Y1_X2_Y2` with coordinates in 0..1. */
  pic_crop_235_1: Type.Optional(Type.String()),
  pic_crop_1_1: Type.Optional(Type.String()),
});

/** One article as WeChat answers it (get_material, draft/get, freepublish/getarticle, lists). */
export const NewsItem = Type.Object({
  title: Type.String(),
  author: Type.String(),
  digest: Type.String(),
  content: Type.String(),
  content_source_url: Type.String(),
  thumb_media_id: Type.String(),
  show_cover_pic: Type.Integer(),
  need_open_comment: Type.Integer(),
  only_fans_can_comment: Type.Integer(),
  /** The article page. */
  url: Type.String(),
  /** The cover image's URL. */
  thumb_url: Type.String(),
  pic_crop_235_1: Type.Optional(Type.String()),
  pic_crop_1_1: Type.Optional(Type.String()),
  /** Published articles: deleted since. */
  is_deleted: Type.Optional(Type.Boolean()),
});

/** `{ news_item: [...] }`, the content of a news material, draft or published article. */
export const NewsContent = Type.Object({ news_item: Type.Array(NewsItem) });

/** A page request of the list endpoints: 1..20 items from `offset`; `no_content` leaves out the HTML. */
export const PageRequest = Type.Object({
  offset: Type.Integer(),
  count: Type.Integer(),
  no_content: Type.Optional(Type.Integer()),
});
