/**
 * Invoices (微信发票, spec/applied-features.md §5): the merchant's authorisation flow (settings,
 * authorisation URL, the user's consent data, refusal), the invoicing platform's invoice card and
 * insert, and the reimbursing party's view. Every call needs the `invoice` row.
 */
import { Type } from "@sinclair/typebox";
import { Ok, OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { AnyObject, OpenObject } from "./open.js";

const OrderId = Type.String({ minLength: 1, maxLength: 64 });
const Loose = AnyObject;
const post = { method: "POST", host: "api", permission: "invoice" } as const;

export const invoice = group("invoice", {
  /**
   * 设置授权页字段信息
   *
   * Invoice settings: `action` set_auth_field/get_auth_field, set_pay_mch/get_pay_mch, set_contact/get_contact.
   *
   * See spec/applied-features.md §5.
   */
  setBizAttr: endpoint({
    ...post,
    title: "设置授权页字段信息",
    path: "/card/invoice/setbizattr",
    queryKeys: ["action"],
    request: Type.Object({
      action: Type.String(),
      auth_field: Type.Optional(AnyObject),
      paymch_info: Type.Optional(AnyObject),
      contact: Type.Optional(AnyObject),
    }),
    response: OpenObject({ errcode: Type.Integer(), errmsg: Type.String() }),
  }),
  /**
   * 获取授权页链接
   *
   * The authorisation page URL for an order (the user consents, with title fields when asked).
   *
   * See spec/applied-features.md §5.
   */
  getAuthUrl: endpoint({
    ...post,
    title: "获取授权页链接",
    path: "/card/invoice/getauthurl",
    request: Type.Object({
      s_pappid: Type.String({ minLength: 1 }),
      order_id: OrderId,
      money: Type.Integer({ minimum: 0 }),
      timestamp: Type.Integer(),
      source: Type.String(),
      redirect_url: Type.Optional(Type.String({ maxLength: 1024 })),
      ticket: Type.String({ minLength: 1 }),
      type: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
    }),
    response: OkWith({ auth_url: Type.String() }),
  }),
  /**
   * 查询授权完成状态
   *
   * What the user filled in when consenting (title, tax number, contact).
   *
   * See spec/applied-features.md §5.
   */
  getAuthData: endpoint({
    ...post,
    title: "查询授权完成状态",
    path: "/card/invoice/getauthdata",
    request: Type.Object({ s_pappid: Type.String({ minLength: 1 }), order_id: OrderId }),
    response: OkWith({ invoice_status: Type.String(), auth_time: Type.Integer(), user_auth_info: Loose }),
  }),
  /**
   * 拒绝开票
   *
   * Refuse to issue an invoice for an authorised order.
   *
   * See spec/applied-features.md §5.
   */
  rejectInsert: endpoint({
    ...post,
    title: "拒绝开票",
    path: "/card/invoice/rejectinsert",
    request: Type.Object({
      s_pappid: Type.String({ minLength: 1 }),
      order_id: OrderId,
      reason: Type.String({ maxLength: 256 }),
      url: Type.Optional(Type.String({ maxLength: 1024 })),
    }),
    response: Ok,
  }),
  /**
   * 获取自身的开票平台识别码
   *
   * The invoicing platform's URL (s_pappid identifies it to merchants).
   *
   * See spec/applied-features.md §5.
   */
  setUrl: endpoint({
    ...post,
    title: "获取自身的开票平台识别码",
    path: "/card/invoice/seturl",
    request: Type.Object({}),
    response: OkWith({ invoice_url: Type.String() }),
  }),
  /**
   * 创建发票卡券模板
   *
   * Create the invoice card template (payee, type) that inserted invoices use.
   *
   * See spec/applied-features.md §5.
   */
  createCard: endpoint({
    ...post,
    title: "创建发票卡券模板",
    path: "/card/invoice/platform/createcard",
    request: Type.Object({ invoice_info: Loose }),
    response: OkWith({ card_id: Type.String() }),
  }),
  /**
   * 将电子发票卡券插入用户卡包
   *
   * Put an issued invoice into the user's card package (for an authorised order).
   *
   * See spec/applied-features.md §5.
   */
  insert: endpoint({
    ...post,
    title: "将电子发票卡券插入用户卡包",
    path: "/card/invoice/insert",
    request: Type.Object({
      order_id: OrderId,
      card_id: Type.String({ minLength: 1 }),
      appid: Type.String({ minLength: 1 }),
      card_ext: Loose,
    }),
    response: OkWith({ code: Type.String(), openid: Type.String(), unionid: Type.Optional(Type.String()) }),
  }),
  /**
   * 更新发票卡券状态
   *
   * The invoicing platform changes an invoice's reimbursement status.
   *
   * See spec/applied-features.md §5.
   */
  updateStatus: endpoint({
    ...post,
    title: "更新发票卡券状态",
    path: "/card/invoice/platform/updatestatus",
    request: Type.Object({ card_id: Type.String(), code: Type.String(), reimburse_status: Type.String() }),
    response: Ok,
  }),
  /**
   * 查询报销发票信息
   *
   * The reimbursing party reads an invoice (card_id + encrypt_code).
   *
   * See spec/applied-features.md §5.
   */
  getInvoiceInfo: endpoint({
    ...post,
    title: "查询报销发票信息",
    path: "/card/invoice/reimburse/getinvoiceinfo",
    request: Type.Object({
      card_id: Type.String({ minLength: 1 }),
      encrypt_code: Type.String({ minLength: 1 }),
    }),
    response: OkWith({
      card_id: Type.String(),
      begin_time: Type.Integer(),
      end_time: Type.Integer(),
      openid: Type.String(),
      type: Type.String(),
      payee: Type.String(),
      detail: Type.String(),
      user_info: Loose,
    }),
  }),
  /**
   * 报销方更新发票状态
   *
   * The reimbursing party locks, unlocks or closes an invoice.
   *
   * See spec/applied-features.md §5.
   */
  updateInvoiceStatus: endpoint({
    ...post,
    title: "报销方更新发票状态",
    path: "/card/invoice/reimburse/updateinvoicestatus",
    request: Type.Object({
      card_id: Type.String({ minLength: 1 }),
      encrypt_code: Type.String({ minLength: 1 }),
      reimburse_status: Type.String(),
    }),
    response: Ok,
  }),
});
