/**
 * Customer-service messages (spec/customer-service.md §3–4). Mass and template sends join this group
 * later. The platform checks `msgtype` and the type's object itself first, because WeChat answers
 * those with 40008 / 44004 / 41006 rather than the schema's 47001.
 */
import { type TProperties, Type } from "@sinclair/typebox";
import { Ok, OpenId } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

/** Send "as" a customer-service account: the follower sees its avatar and nickname. */
const CustomService = Type.Object({ kf_account: Type.String() });

/** A custom/send body of one msgtype: `{ touser, msgtype, [msgtype]: payload, customservice? }`. */
const custom = <K extends string, P extends TProperties>(msgtype: K, payload: P) =>
  Type.Object({
    touser: OpenId,
    msgtype: Type.Literal(msgtype),
    customservice: Type.Optional(CustomService),
    ...payload,
  });

const MediaRef = Type.Object({ media_id: Type.String() });

const CustomMessage = Type.Union([
  custom("text", { text: Type.Object({ content: Type.String() }) }),
  custom("image", { image: MediaRef }),
  custom("voice", { voice: MediaRef }),
  custom("video", {
    video: Type.Object({
      media_id: Type.String(),
      // Documented as part of the body; wechatpy omits it, so optional.
      thumb_media_id: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
    }),
  }),
  custom("music", {
    music: Type.Object({
      title: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      musicurl: Type.String(),
      hqmusicurl: Type.String(),
      thumb_media_id: Type.String(),
    }),
  }),
  custom("news", {
    news: Type.Object({
      articles: Type.Array(
        Type.Object({
          title: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
          url: Type.Optional(Type.String()),
          picurl: Type.Optional(Type.String()),
        }),
      ),
    }),
  }),
  custom("mpnews", { mpnews: MediaRef }),
  custom("mpnewsarticle", { mpnewsarticle: Type.Object({ article_id: Type.String() }) }),
  custom("wxcard", {
    wxcard: Type.Object({
      card_id: Type.String(),
      card_ext: Type.Optional(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
    }),
  }),
  custom("msgmenu", {
    msgmenu: Type.Object({
      head_content: Type.Optional(Type.String()),
      list: Type.Array(Type.Object({ id: Type.String(), content: Type.String() })),
      tail_content: Type.Optional(Type.String()),
    }),
  }),
  custom("miniprogrampage", {
    miniprogrampage: Type.Object({
      title: Type.String(),
      appid: Type.String(),
      pagepath: Type.String(),
      thumb_media_id: Type.String(),
    }),
  }),
]);

/** The msgtypes custom/send accepts for official accounts (`link` is Mini-Program only: 40008). */
export const CUSTOM_MESSAGE_TYPES = [
  "text",
  "image",
  "voice",
  "video",
  "music",
  "news",
  "mpnews",
  "mpnewsarticle",
  "wxcard",
  "msgmenu",
  "miniprogrampage",
] as const;

export const message = group("message", {
  /**
   * 发送客服消息
   *
   * Send a customer-service message inside the user's service window.
   *
   * See spec/customer-service.md §3.
   */
  sendCustom: endpoint({
    title: "发送客服消息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/custom/send",
    permission: "send.customer_service",
    request: CustomMessage,
    response: Ok,
    dailyQuota: 500000,
  }),
  /**
   * 客服输入状态
   *
   * Show ("Typing", 15 s) or hide ("CancelTyping") the typing indicator to a follower.
   *
   * See spec/customer-service.md §4.
   */
  sendTyping: endpoint({
    title: "客服输入状态",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/custom/typing",
    permission: "send.customer_service",
    request: Type.Object({
      touser: OpenId,
      command: Type.Union([Type.Literal("Typing"), Type.Literal("CancelTyping")]),
    }),
    response: Ok,
  }),
});
