/**
 * Subscription notifications (订阅通知, spec/template.md §10): the account's categories, the public
 * template titles and keywords of the category library, the account's private subscription
 * templates, and `bizsend`. Newer than the seed; shapes follow WxJava, wechatpy and EasyWeChat.
 * The platform checks parameters itself first (the 2000xx codes) before these schemas. No seed row
 * covers them; the docs name service accounts and leave verification open, so they take the
 * template row (`send.template`: verified service accounts), the spec's proposed default.
 */
import { Type } from "@sinclair/typebox";
import { Ok, OkWith, OpenId, StringOrInteger } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const Count = Type.Integer();

export const subscribe = group("subscribe", {
  /**
   * 获取公众号类目
   *
   * The account's service categories.
   *
   * See spec/template.md §10.
   */
  getCategory: endpoint({
    title: "获取公众号类目",
    method: "GET",
    host: "api",
    path: "/wxaapi/newtmpl/getcategory",
    permission: "send.template",
    request: Type.Object({}),
    response: OkWith({ data: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) }),
  }),
  /**
   * 获取类目下的公共模板
   *
   * Public template titles of some categories, paged (`limit` ≤ 30).
   *
   * See spec/template.md §10.
   */
  getPubTemplateTitles: endpoint({
    title: "获取类目下的公共模板",
    method: "GET",
    host: "api",
    path: "/wxaapi/newtmpl/getpubtemplatetitles",
    permission: "send.template",
    request: Type.Object({
      /** Category ids, comma-separated. */
      ids: Type.String(),
      start: Type.Integer(),
      limit: Type.Integer(),
    }),
    response: OkWith({
      count: Count,
      data: Type.Array(
        Type.Object({
          tid: Type.Integer(),
          title: Type.String(),
          /** 2 one-time, 3 long-term. */
          type: Type.Integer(),
          categoryId: Type.String(),
        }),
      ),
    }),
  }),
  /**
   * 获取模板中的关键词
   *
   * The keywords of one public template.
   *
   * See spec/template.md §10.
   */
  getPubTemplateKeywords: endpoint({
    title: "获取模板中的关键词",
    method: "GET",
    host: "api",
    path: "/wxaapi/newtmpl/getpubtemplatekeywords",
    permission: "send.template",
    request: Type.Object({ tid: StringOrInteger }),
    response: OkWith({
      count: Count,
      data: Type.Array(
        Type.Object({
          kid: Type.Integer(),
          name: Type.String(),
          example: Type.String(),
          rule: Type.String(),
        }),
      ),
    }),
  }),
  /**
   * 选用模板
   *
   * Choose a public template with some of its keywords; answers the private template id.
   *
   * See spec/template.md §10.
   */
  addTemplate: endpoint({
    title: "选用模板",
    method: "POST",
    host: "api",
    path: "/wxaapi/newtmpl/addtemplate",
    permission: "send.template",
    request: Type.Object({
      tid: StringOrInteger,
      kidList: Type.Array(Type.Integer()),
      sceneDesc: Type.Optional(Type.String()),
    }),
    response: OkWith({ priTmplId: Type.String() }),
  }),
  /**
   * 获取私有模板列表
   *
   * The account's private subscription templates.
   *
   * See spec/template.md §10.
   */
  getTemplates: endpoint({
    title: "获取私有模板列表",
    method: "GET",
    host: "api",
    path: "/wxaapi/newtmpl/gettemplate",
    permission: "send.template",
    request: Type.Object({}),
    response: OkWith({
      data: Type.Array(
        Type.Object({
          priTmplId: Type.String(),
          title: Type.String(),
          content: Type.String(),
          example: Type.String(),
          type: Type.Integer(),
        }),
      ),
    }),
  }),
  /**
   * 删除私有模板
   *
   * Delete a private subscription template.
   *
   * See spec/template.md §10.
   */
  delTemplate: endpoint({
    title: "删除私有模板",
    method: "POST",
    host: "api",
    path: "/wxaapi/newtmpl/deltemplate",
    permission: "send.template",
    request: Type.Object({ priTmplId: Type.String() }),
    response: Ok,
  }),
  /**
   * 发送订阅通知
   *
   * Send a subscription notification the user accepted (one per accept, or any while long-term).
   *
   * See spec/template.md §10.
   */
  bizsend: endpoint({
    title: "发送订阅通知",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/subscribe/bizsend",
    permission: "send.template",
    request: Type.Object({
      touser: OpenId,
      template_id: Type.String(),
      /** Web page opened on tap. */
      page: Type.Optional(Type.String()),
      miniprogram: Type.Optional(Type.Object({ appid: Type.String(), pagepath: Type.String() })),
      data: Type.Record(Type.String(), Type.Object({ value: Type.String() })),
    }),
    response: OkWith({ msgid: Type.Integer() }),
  }),
});
