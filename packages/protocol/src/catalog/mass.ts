/**
 * Mass messages (群发, spec/mass-send.md): send to all followers or a tag (`sendAll`), to an OpenID
 * list (`send`), preview to one user, withdraw, poll a job, and the delivery speed. A send only
 * submits a job; its result arrives later as the MASSSENDJOBFINISH event. The platform checks the
 * message type and its object before the schema (WeChat answers 40008 / 40007 there, not 47001).
 */
import { type TProperties, Type } from "@sinclair/typebox";
import { Ok, OpenId, StringOrInteger } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

/** The message types a mass send carries (`image` uses the body key `images`). */
export const MASS_MESSAGE_TYPES = ["mpnews", "text", "voice", "image", "mpvideo", "wxcard"] as const;
export type MassMessageType = (typeof MASS_MESSAGE_TYPES)[number];

const MediaRef = Type.Object({ media_id: Type.String() });
const Flag = Type.Union([Type.Integer(), Type.String()]);

/** Fields every mass body may carry beside its recipients. */
const Common = {
  /** mpnews only: 1 = go on when an article is judged a reprint that may be reprinted. */
  send_ignore_reprint: Type.Optional(Flag),
  /** Idempotency key (≤ 64 bytes): the same key within 24 h answers the first job's msg_id. */
  clientmsgid: Type.Optional(Type.String()),
};

/** One body per msgtype: `{ ...recipients, msgtype, [key]: payload, ...Common }`. */
const bodies = <R extends TProperties>(recipients: R) => [
  Type.Object({ ...recipients, ...Common, msgtype: Type.Literal("mpnews"), mpnews: MediaRef }),
  Type.Object({
    ...recipients,
    ...Common,
    msgtype: Type.Literal("text"),
    text: Type.Object({ content: Type.String() }),
  }),
  Type.Object({ ...recipients, ...Common, msgtype: Type.Literal("voice"), voice: MediaRef }),
  Type.Object({
    ...recipients,
    ...Common,
    msgtype: Type.Literal("image"),
    /** Several images in one post (贴图) with a recommendation text. */
    images: Type.Optional(
      Type.Object({
        media_ids: Type.Array(Type.String()),
        recommend: Type.Optional(Type.String()),
        need_open_comment: Type.Optional(Flag),
        only_fans_can_comment: Type.Optional(Flag),
      }),
    ),
    /** The older single-image form, still sent by several SDKs. */
    image: Type.Optional(MediaRef),
  }),
  Type.Object({
    ...recipients,
    ...Common,
    msgtype: Type.Union([Type.Literal("mpvideo"), Type.Literal("video")]),
    mpvideo: Type.Optional(
      Type.Object({
        media_id: Type.String(),
        title: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
      }),
    ),
    /** Legacy key of OpenID-list sends. */
    video: Type.Optional(MediaRef),
  }),
  Type.Object({
    ...recipients,
    ...Common,
    msgtype: Type.Literal("wxcard"),
    wxcard: Type.Object({
      card_id: Type.String(),
      card_ext: Type.Optional(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
    }),
  }),
];

const SendAllBody = Type.Union(
  bodies({
    filter: Type.Object({
      /** Absent (wechat-api's group sends): false. */
      is_to_all: Type.Optional(Type.Boolean()),
      tag_id: Type.Optional(StringOrInteger),
      /** Pre-tag SDKs send the legacy group id here; it is read as the tag id. */
      group_id: Type.Optional(StringOrInteger),
    }),
  }),
);
const SendBody = Type.Union(bodies({ touser: Type.Array(OpenId) }));
const PreviewBody = Type.Union(
  bodies({ touser: Type.Optional(Type.String()), towxname: Type.Optional(Type.String()) }),
);

const JobSubmitted = Type.Object({
  errcode: Type.Number(),
  errmsg: Type.String(),
  msg_id: Type.Integer(),
  /** mpnews only: the article data's id (analytics, article URLs). */
  msg_data_id: Type.Optional(Type.Integer()),
});

export const mass = group("mass", {
  /**
   * 根据标签进行群发
   *
   * Mass-send to every follower (`is_to_all`) or to the followers with a tag.
   *
   * See spec/mass-send.md §4.
   */
  sendAll: endpoint({
    title: "根据标签进行群发",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/sendall",
    permission: "send.mass",
    request: SendAllBody,
    response: JobSubmitted,
  }),
  /**
   * 根据OpenID列表群发
   *
   * Mass-send to a list of 2–10 000 OpenIDs.
   *
   * See spec/mass-send.md §5.
   */
  send: endpoint({
    title: "根据OpenID列表群发",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/send",
    permission: "send.mass",
    request: SendBody,
    response: JobSubmitted,
  }),
  /**
   * 预览接口
   *
   * Send the message to one user (OpenID, or WeChat ID with `towxname`) to see it; uses no quota.
   *
   * See spec/mass-send.md §6.
   */
  preview: endpoint({
    title: "预览接口",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/preview",
    permission: "send.mass",
    request: PreviewBody,
    response: Type.Object({
      errcode: Type.Number(),
      errmsg: Type.String(),
      msg_id: Type.Optional(Type.Integer()),
    }),
  }),
  /**
   * 删除群发
   *
   * Withdraw a sent article or video message (`article_idx` 1-based; 0 or absent: all articles).
   *
   * See spec/mass-send.md §7.
   */
  delete: endpoint({
    title: "删除群发",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/delete",
    permission: "send.mass",
    request: Type.Object({
      msg_id: Type.Optional(StringOrInteger),
      article_idx: Type.Optional(Type.Integer()),
      url: Type.Optional(Type.String()),
    }),
    response: Ok,
  }),
  /**
   * 查询群发消息发送状态
   *
   * A job's state: SEND_SUCCESS, SENDING, SEND_FAIL or DELETE.
   *
   * See spec/mass-send.md §8.
   */
  get: endpoint({
    title: "查询群发消息发送状态",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/get",
    permission: "send.mass",
    request: Type.Object({ msg_id: StringOrInteger }),
    response: Type.Object({ msg_id: Type.Integer(), msg_status: Type.String() }),
  }),
  /**
   * 获取群发速度
   *
   * The delivery speed: level 0–4 and its real speed in 10 000 messages a minute.
   *
   * See spec/mass-send.md §14.1.
   */
  getSpeed: endpoint({
    title: "获取群发速度",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/speed/get",
    permission: "send.mass",
    request: Type.Object({}),
    response: Type.Object({ speed: Type.Integer(), realspeed: Type.Integer() }),
  }),
  /**
   * 设置群发速度
   *
   * Set the delivery speed level (0 fastest … 4 slowest).
   *
   * See spec/mass-send.md §14.2.
   */
  setSpeed: endpoint({
    title: "设置群发速度",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/mass/speed/set",
    permission: "send.mass",
    request: Type.Object({ speed: Type.Integer() }),
    response: Ok,
  }),
});
