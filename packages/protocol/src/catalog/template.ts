/**
 * Template messages and one-time subscription messages (spec/template.md §2–§9): industries, the
 * template library and the account's private templates, template/send, intercepted sends, the
 * one-time subscription page on the mp host and template/subscribe. The platform checks bodies in
 * WeChat's own order (40036 → 40037 → 40003 → 43004 → … → 47003 → 45009) before these schemas.
 */
import { Type } from "@sinclair/typebox";
import { BinaryFile, Ok, OkWith, OpenId, StringOrInteger } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const Industry = Type.Object({ first_class: Type.String(), second_class: Type.String() });

/** `{ "<key>": { value, color? } }`: one entry per `{{key.DATA}}` of the template. */
const TemplateData = Type.Record(
  Type.String(),
  Type.Object({ value: Type.String(), color: Type.Optional(Type.String()) }),
);

/** A Mini Program to open; `path` is WxJava's spelling of `pagepath`. */
const MiniProgram = Type.Object({
  appid: Type.String(),
  pagepath: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
});

const PrivateTemplate = Type.Object({
  template_id: Type.String(),
  title: Type.String(),
  primary_industry: Type.String(),
  deputy_industry: Type.String(),
  content: Type.String(),
  example: Type.String(),
});

export const template = group("template", {
  /**
   * 设置所属行业
   *
   * Choose the primary and secondary industry (once a month; changing deletes their templates).
   *
   * See spec/template.md §2.
   */
  setIndustry: endpoint({
    title: "设置所属行业",
    method: "POST",
    host: "api",
    path: "/cgi-bin/template/api_set_industry",
    permission: "send.template",
    request: Type.Object({
      industry_id1: StringOrInteger,
      industry_id2: Type.Optional(StringOrInteger),
    }),
    response: Ok,
  }),
  /**
   * 获取设置的行业信息
   *
   * The account's two industries (empty strings before any is set).
   *
   * See spec/template.md §3.
   */
  getIndustry: endpoint({
    title: "获取设置的行业信息",
    method: "GET",
    host: "api",
    path: "/cgi-bin/template/get_industry",
    permission: "send.template",
    request: Type.Object({}),
    response: Type.Object({ primary_industry: Industry, secondary_industry: Industry }),
  }),
  /**
   * 获得模板ID
   *
   * Add a library template (`TM…`/`OPENTM…` of the chosen industries, or a numeric category one).
   *
   * See spec/template.md §4.
   */
  addTemplate: endpoint({
    title: "获得模板ID",
    method: "POST",
    host: "api",
    path: "/cgi-bin/template/api_add_template",
    permission: "send.template",
    request: Type.Object({
      template_id_short: StringOrInteger,
      /** Keyword names in order: required for category templates, optional for industry ones. */
      keyword_name_list: Type.Optional(Type.Array(Type.String())),
    }),
    response: OkWith({ template_id: Type.String() }),
  }),
  /**
   * 获取模板列表
   *
   * The account's private templates (at most 25).
   *
   * See spec/template.md §5.
   */
  getAllPrivateTemplate: endpoint({
    title: "获取模板列表",
    method: "GET",
    host: "api",
    path: "/cgi-bin/template/get_all_private_template",
    permission: "send.template",
    request: Type.Object({}),
    response: Type.Object({ template_list: Type.Array(PrivateTemplate) }),
  }),
  /**
   * 删除模板
   *
   * Delete one private template.
   *
   * See spec/template.md §6.
   */
  delPrivateTemplate: endpoint({
    title: "删除模板",
    method: "POST",
    host: "api",
    path: "/cgi-bin/template/del_private_template",
    permission: "send.template",
    request: Type.Object({ template_id: Type.String() }),
    response: Ok,
  }),
  /**
   * 发送模板消息
   *
   * Send a template message to a follower; TEMPLATESENDJOBFINISH reports the delivery.
   *
   * See spec/template.md §7.
   */
  send: endpoint({
    title: "发送模板消息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/template/send",
    permission: "send.template",
    request: Type.Object({
      touser: OpenId,
      template_id: Type.String(),
      url: Type.Optional(Type.String()),
      miniprogram: Type.Optional(MiniProgram),
      /** Anti-re-entry id: one message per touser + client_msg_id within 10 minutes. */
      client_msg_id: Type.Optional(Type.String()),
      data: TemplateData,
      /** Legacy, ignored. */
      topcolor: Type.Optional(Type.String()),
    }),
    response: OkWith({ msgid: Type.Integer() }),
  }),
  /**
   * 查询拦截的模板消息
   *
   * Template messages intercepted as marketing, paged by `largest_id`.
   *
   * See spec/template.md §8.1.
   */
  queryBlockTmplMsg: endpoint({
    title: "查询拦截的模板消息",
    method: "POST",
    host: "api",
    path: "/wxa/sec/queryblocktmplmsg",
    permission: "send.template",
    request: Type.Object({
      tmpl_msg_id: Type.String(),
      largest_id: Type.Optional(Type.Integer({ minimum: 0 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    }),
    response: OkWith({
      msginfo: Type.Array(
        Type.Object({
          id: Type.Integer(),
          tmpl_msg_id: Type.String(),
          title: Type.String(),
          content: Type.String(),
          send_timestamp: Type.Integer(),
          openid: Type.String(),
        }),
      ),
    }),
  }),
  /**
   * 一次性订阅消息授权页
   *
   * The one-time subscription page (HTML on the mp host, opened inside WeChat): the user allows or
   * cancels, then WeChat redirects to `redirect_url` with openid (allow only), template_id, action,
   * scene and reserved. `decision` is the page's own form field.
   *
   * See spec/basics.md §2.
   */
  subscribePage: endpoint({
    title: "一次性订阅消息授权页",
    method: "GET",
    host: "mp",
    path: "/mp/subscribemsg",
    permission: null,
    auth: "none",
    request: Type.Object(
      {
        action: Type.Optional(Type.String()),
        appid: Type.Optional(Type.String()),
        scene: Type.Optional(Type.String()),
        template_id: Type.Optional(Type.String()),
        redirect_url: Type.Optional(Type.String()),
        reserved: Type.Optional(Type.String()),
        decision: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
    response: BinaryFile,
    responseKind: "binary",
  }),
  /**
   * 推送订阅模板消息
   *
   * Send the one message a user's one-time authorisation (scene) allows.
   *
   * See spec/template.md §9.3.
   */
  subscribeOnce: endpoint({
    title: "推送订阅模板消息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/template/subscribe",
    permission: "send.subscribe_once",
    request: Type.Object({
      touser: OpenId,
      template_id: Type.String(),
      url: Type.Optional(Type.String()),
      miniprogram: Type.Optional(MiniProgram),
      scene: StringOrInteger,
      title: Type.String(),
      data: Type.Object({
        content: Type.Object({ value: Type.String(), color: Type.Optional(Type.String()) }),
      }),
    }),
    response: Ok,
  }),
});
