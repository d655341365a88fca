/**
 * Cards and coupons (微信卡券, spec/applied-features.md §3): the core lifecycle — create, review,
 * QR distribution, codes (get, decrypt, consume, deposit), stock, the per-user list. Every call needs
 * the `card` row (verified accounts with the card feature granted).
 */
import { Type } from "@sinclair/typebox";
import { Ok, OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { AnyObject, OpenObject } from "./open.js";

const CardId = Type.String({ minLength: 1, maxLength: 64 });
const Code = Type.String({ minLength: 1, maxLength: 64 });
const post = { method: "POST", host: "api", permission: "card" } as const;

/** The card object of card/create and card/get: `card_type` plus the lower-case type's body. */
const CardBody = OpenObject({ card_type: Type.String() });

export const card = group("card", {
  /**
   * 创建卡券
   *
   * Create a card (status CARD_STATUS_NOT_VERIFY until the review passes); returns its card_id.
   *
   * See spec/applied-features.md §3.3.
   */
  create: endpoint({
    ...post,
    title: "创建卡券",
    path: "/card/create",
    request: Type.Object({ card: CardBody }),
    response: OkWith({ card_id: Type.String() }),
  }),
  /**
   * 查看卡券详情
   *
   * A card's definition and status.
   *
   * See spec/applied-features.md §3.2.
   */
  get: endpoint({
    ...post,
    title: "查看卡券详情",
    path: "/card/get",
    request: Type.Object({ card_id: CardId }),
    response: OkWith({ card: CardBody }),
  }),
  /**
   * 批量查询卡券列表
   *
   * The account's card ids, paged (count ≤ 50), optionally filtered by status.
   *
   * See spec/applied-features.md §3.2.
   */
  batchGet: endpoint({
    ...post,
    title: "批量查询卡券列表",
    path: "/card/batchget",
    request: Type.Object({
      offset: Type.Integer({ minimum: 0 }),
      count: Type.Integer({ minimum: 1, maximum: 50 }),
      status_list: Type.Optional(Type.Array(Type.String())),
    }),
    response: OkWith({ card_id_list: Type.Array(Type.String()), total_num: Type.Integer() }),
  }),
  /**
   * 更改卡券信息接口
   *
   * Change a card's base_info fields; `send_check` tells whether it goes back to review.
   *
   * See spec/applied-features.md §3.2.
   */
  update: endpoint({
    ...post,
    title: "更改卡券信息接口",
    path: "/card/update",
    request: OpenObject({ card_id: CardId }),
    response: OkWith({ send_check: Type.Boolean() }),
  }),
  /**
   * 删除卡券接口
   *
   * Delete a card (its codes become unusable).
   *
   * See spec/applied-features.md §3.1.
   */
  delete: endpoint({
    ...post,
    title: "删除卡券接口",
    path: "/card/delete",
    request: Type.Object({ card_id: CardId }),
    response: Ok,
  }),
  /**
   * 修改库存接口
   *
   * Add to or take from a card's stock.
   *
   * See spec/applied-features.md §3.2.
   */
  modifyStock: endpoint({
    ...post,
    title: "修改库存接口",
    path: "/card/modifystock",
    request: Type.Object({
      card_id: CardId,
      increase_stock_value: Type.Optional(Type.Integer({ minimum: 0 })),
      reduce_stock_value: Type.Optional(Type.Integer({ minimum: 0 })),
    }),
    response: Ok,
  }),
  /**
   * 创建二维码接口
   *
   * A QR code that gives a card (QR_CARD) or several (QR_MULTIPLE_CARD) to whoever scans it.
   *
   * See spec/applied-features.md §3.1.
   */
  createQrcode: endpoint({
    ...post,
    title: "创建二维码接口",
    path: "/card/qrcode/create",
    request: Type.Object({
      action_name: Type.String(),
      expire_seconds: Type.Optional(Type.Integer()),
      action_info: AnyObject,
    }),
    response: OkWith({
      ticket: Type.String(),
      expire_seconds: Type.Integer(),
      url: Type.String(),
      show_qrcode_url: Type.String(),
    }),
  }),
  /**
   * 设置测试白名单
   *
   * Users (OpenIDs or WeChat ids) who may claim cards still under review.
   *
   * See spec/applied-features.md §3.1.
   */
  setTestWhitelist: endpoint({
    ...post,
    title: "设置测试白名单",
    path: "/card/testwhitelist/set",
    request: Type.Object({
      openid: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
      username: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
    }),
    response: Ok,
  }),
  /**
   * Code解码接口
   *
   * The plain code behind an `encrypt_code` (from chooseCard / addCard / card pages).
   *
   * See spec/applied-features.md §3.1.
   */
  decryptCode: endpoint({
    ...post,
    title: "Code解码接口",
    path: "/card/code/decrypt",
    request: Type.Object({ encrypt_code: Type.String({ minLength: 1, maxLength: 512 }) }),
    response: OkWith({ code: Type.String() }),
  }),
  /**
   * 查询Code接口
   *
   * A code's card, owner and state; `can_consume` tells whether it may be redeemed now.
   *
   * See spec/applied-features.md §3.1.
   */
  getCode: endpoint({
    ...post,
    title: "查询Code接口",
    path: "/card/code/get",
    request: Type.Object({
      code: Code,
      card_id: Type.Optional(CardId),
      check_consume: Type.Optional(Type.Boolean()),
    }),
    response: OkWith({
      card: Type.Object({ card_id: Type.String(), begin_time: Type.Integer(), end_time: Type.Integer() }),
      openid: Type.String(),
      can_consume: Type.Boolean(),
      user_card_status: Type.String(),
    }),
  }),
  /**
   * 核销Code接口
   *
   * Redeem a code (pushes user_consume_card).
   *
   * See spec/applied-features.md §3.1.
   */
  consumeCode: endpoint({
    ...post,
    title: "核销Code接口",
    path: "/card/code/consume",
    request: Type.Object({ code: Code, card_id: Type.Optional(CardId) }),
    response: OkWith({ card: Type.Object({ card_id: Type.String() }), openid: Type.String() }),
  }),
  /**
   * 设置卡券失效接口
   *
   * Make a claimed code unusable.
   *
   * See spec/applied-features.md §3.1.
   */
  unavailableCode: endpoint({
    ...post,
    title: "设置卡券失效接口",
    path: "/card/code/unavailable",
    request: Type.Object({
      code: Code,
      card_id: Type.Optional(CardId),
      reason: Type.Optional(Type.String({ maxLength: 256 })),
    }),
    response: Ok,
  }),
  /**
   * 导入code接口
   *
   * Deposit custom codes (≤ 100 per call) for a use_custom_code card.
   *
   * See spec/applied-features.md §3.2.
   */
  depositCode: endpoint({
    ...post,
    title: "导入code接口",
    path: "/card/code/deposit",
    request: Type.Object({ card_id: CardId, code: Type.Array(Type.String()) }),
    response: OkWith({
      succ_code: Type.Array(Type.String()),
      duplicate_code: Type.Array(Type.String()),
      fail_code: Type.Array(Type.String()),
    }),
  }),
  /**
   * 查询导入code数目接口
   *
   * How many custom codes were deposited for a card.
   *
   * See spec/applied-features.md §3.2.
   */
  getDepositCount: endpoint({
    ...post,
    title: "查询导入code数目接口",
    path: "/card/code/getdepositcount",
    request: Type.Object({ card_id: CardId }),
    response: OkWith({ count: Type.Integer() }),
  }),
  /**
   * 核查code接口
   *
   * Which of the given codes were deposited (≤ 100).
   *
   * See spec/applied-features.md §3.2.
   */
  checkCode: endpoint({
    ...post,
    title: "核查code接口",
    path: "/card/code/checkcode",
    request: Type.Object({ card_id: CardId, code: Type.Array(Type.String()) }),
    response: OkWith({ exist_code: Type.Array(Type.String()), not_exist_code: Type.Array(Type.String()) }),
  }),
  /**
   * 获取用户已领取卡券接口
   *
   * The cards a user holds (optionally of one card id).
   *
   * See spec/applied-features.md §3.2.
   */
  getUserCardList: endpoint({
    ...post,
    title: "获取用户已领取卡券接口",
    path: "/card/user/getcardlist",
    request: Type.Object({ openid: Type.String({ minLength: 1 }), card_id: Type.Optional(Type.String()) }),
    response: OkWith({
      card_list: Type.Array(Type.Object({ code: Type.String(), card_id: Type.String() })),
      has_share_card: Type.Boolean(),
    }),
  }),
});
