/**
 * An account's followers through WeChat's user API (spec/users.md §5–8): remark names, basic
 * information, the follower list and the blacklist. (Not the platform's simulated people: these are
 * the calls a developer makes about the followers of one account.)
 */
import { Type } from "@sinclair/typebox";
import { Ok, OpenId } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { CountedOpenIdPage, OpenIdList } from "./openid-lists.js";
import { TagId } from "./tags.js";

/** `zh_CN` (default), `zh_TW`, `en`. */
const Lang = Type.Union([Type.Literal("zh_CN"), Type.Literal("zh_TW"), Type.Literal("en")]);

/**
 * `user/info`. A non-follower gets only `subscribe: 0` and `openid`, so every other field is optional.
 * The profile fields WeChat dropped in 2021 (nickname … privilege) are kept optional for old fixtures.
 */
const UserInfo = Type.Object({
  subscribe: Type.Integer(),
  openid: Type.String(),
  language: Type.Optional(Type.String()),
  subscribe_time: Type.Optional(Type.Integer()),
  unionid: Type.Optional(Type.String()),
  remark: Type.Optional(Type.String()),
  groupid: Type.Optional(Type.Integer()),
  tagid_list: Type.Optional(Type.Array(TagId)),
  /** `ADD_SCENE_SEARCH`, `ADD_SCENE_QR_CODE`, … (users.md §6.2; new scenes appear over time). */
  subscribe_scene: Type.Optional(Type.String()),
  qr_scene: Type.Optional(Type.Integer()),
  qr_scene_str: Type.Optional(Type.String()),
  nickname: Type.Optional(Type.String()),
  sex: Type.Optional(Type.Integer()),
  city: Type.Optional(Type.String()),
  province: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
  headimgurl: Type.Optional(Type.String()),
  privilege: Type.Optional(Type.Array(Type.String())),
});

export const followers = group("followers", {
  /**
   * 设置用户备注名
   *
   * Set a follower's remark name (< 30 bytes).
   *
   * See spec/users.md §5.
   */
  updateRemark: endpoint({
    title: "设置用户备注名",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/info/updateremark",
    permission: "user.remark",
    request: Type.Object({ openid: OpenId, remark: Type.String() }),
    response: Ok,
    dailyQuota: 10000,
  }),
  /**
   * 获取用户基本信息
   *
   * One user's follow state, remark, tags and follow scene (UnionID when bound).
   *
   * See spec/users.md §6.1.
   */
  info: endpoint({
    title: "获取用户基本信息",
    method: "GET",
    host: "api",
    path: "/cgi-bin/user/info",
    permission: "user.info",
    request: Type.Object({ openid: OpenId, lang: Type.Optional(Lang) }),
    response: UserInfo,
    dailyQuota: 5000000,
  }),
  /**
   * 批量获取用户基本信息
   *
   * user/info for 1..100 users at once, in request order.
   *
   * See spec/users.md §6.4.
   */
  batchGetInfo: endpoint({
    title: "批量获取用户基本信息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/info/batchget",
    permission: "user.info",
    request: Type.Object({
      user_list: Type.Array(Type.Object({ openid: OpenId, lang: Type.Optional(Lang) })),
    }),
    response: Type.Object({ user_info_list: Type.Array(UserInfo) }),
  }),
  /**
   * 获取用户列表
   *
   * A page of up to 10 000 follower OpenIDs, after next_openid.
   *
   * See spec/users.md §7.
   */
  list: endpoint({
    title: "获取用户列表",
    method: "GET",
    host: "api",
    path: "/cgi-bin/user/get",
    permission: "user.list",
    request: Type.Object({ next_openid: Type.Optional(Type.String()) }),
    response: CountedOpenIdPage,
    dailyQuota: 500,
  }),

  // Blacklist (users.md §8): no seed row; the nearest family is the tag row (verified accounts only).
  /**
   * 获取公众号的黑名单列表
   *
   * A page of blacklisted OpenIDs, after begin_openid.
   *
   * See spec/users.md §8.1.
   */
  getBlacklist: endpoint({
    title: "获取公众号的黑名单列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/getblacklist",
    permission: "user.tags",
    request: Type.Object({ begin_openid: Type.Optional(Type.String()) }),
    response: CountedOpenIdPage,
  }),
  /**
   * 拉黑用户
   *
   * Blacklist 1..20 users.
   *
   * See spec/users.md §8.2.
   */
  batchBlacklist: endpoint({
    title: "拉黑用户",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchblacklist",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList }),
    response: Ok,
  }),
  /**
   * 取消拉黑用户
   *
   * Take 1..20 users off the blacklist.
   *
   * See spec/users.md §8.3.
   */
  batchUnblacklist: endpoint({
    title: "取消拉黑用户",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchunblacklist",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList }),
    response: Ok,
  }),
});
