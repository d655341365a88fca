/**
 * User management (spec/users.md): tags, remarks, user info, follower list, blacklist, and the legacy
 * groups API (superseded by tags in 2016 but still called by older SDKs, so the platform serves it).
 */
import { Type } from "@sinclair/typebox";
import { Empty, Ok, OpenId } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const TagId = Type.Integer();
const Tag = Type.Object({ id: TagId, name: Type.String() });
const TagRef = Type.Object({ tag: Type.Object({ id: TagId }) });
/** `zh_CN` (default), `zh_TW`, `en`. */
const Lang = Type.Union([Type.Literal("zh_CN"), Type.Literal("zh_TW"), Type.Literal("en")]);
const OpenIdList = Type.Array(OpenId);
const OpenIds = Type.Object({ openid: Type.Array(Type.String()) });

/** One page of OpenIDs; past the end WeChat sends `count: 0`, `next_openid: ""` and no `data`. */
const OpenIdPage = Type.Object({
  count: Type.Integer(),
  data: Type.Optional(OpenIds),
  next_openid: Type.String(),
});
const CountedOpenIdPage = Type.Object({
  total: Type.Integer(),
  count: Type.Integer(),
  data: Type.Optional(OpenIds),
  next_openid: Type.String(),
});

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

const GroupInfo = Type.Object({ id: Type.Integer(), name: Type.String() });

export const user = group("user", {
  // Tags (users.md §3)
  createTag: endpoint({
    summary: "Create a tag (name ≤ 30 bytes, unique; at most 100 tags).",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/create",
    permission: "user.tags",
    request: Type.Object({ tag: Type.Object({ name: Type.String() }) }),
    response: Type.Object({ tag: Tag }),
  }),
  getTags: endpoint({
    summary: "List the account's tags with their user counts.",
    method: "GET",
    host: "api",
    path: "/cgi-bin/tags/get",
    permission: "user.tags",
    request: Empty,
    response: Type.Object({
      tags: Type.Array(Type.Object({ id: TagId, name: Type.String(), count: Type.Integer() })),
    }),
  }),
  updateTag: endpoint({
    summary: "Rename a tag (system tags 0, 1, 2 cannot be changed).",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/update",
    permission: "user.tags",
    request: Type.Object({ tag: Tag }),
    response: Ok,
  }),
  deleteTag: endpoint({
    summary: "Delete a tag; it leaves every user's tagid_list.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/delete",
    permission: "user.tags",
    request: TagRef,
    response: Ok,
  }),
  getTagUsers: endpoint({
    summary: "A page of the OpenIDs carrying a tag, after next_openid.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/tag/get",
    permission: "user.tags",
    request: Type.Object({ tagid: TagId, next_openid: Type.Optional(Type.String()) }),
    response: OpenIdPage,
  }),
  tagUsers: endpoint({
    summary: "Put a tag on 1..50 users (a user carries at most 20 tags).",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchtagging",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, tagid: TagId }),
    response: Ok,
  }),
  untagUsers: endpoint({
    summary: "Take a tag off 1..50 users.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchuntagging",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, tagid: TagId }),
    response: Ok,
  }),
  getUserTags: endpoint({
    summary: "The tag ids one user carries.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/getidlist",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId }),
    response: Type.Object({ tagid_list: Type.Array(TagId) }),
  }),

  // Remark, info, list (users.md §5–7)
  updateRemark: endpoint({
    summary: "Set a follower's remark name (< 30 bytes).",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/info/updateremark",
    permission: "user.remark",
    request: Type.Object({ openid: OpenId, remark: Type.String() }),
    response: Ok,
    dailyQuota: 10000,
  }),
  info: endpoint({
    summary: "One user's follow state, remark, tags and follow scene (UnionID when bound).",
    method: "GET",
    host: "api",
    path: "/cgi-bin/user/info",
    permission: "user.info",
    request: Type.Object({ openid: OpenId, lang: Type.Optional(Lang) }),
    response: UserInfo,
    dailyQuota: 5000000,
  }),
  batchGetInfo: endpoint({
    summary: "user/info for 1..100 users at once, in request order.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/info/batchget",
    permission: "user.info",
    request: Type.Object({
      user_list: Type.Array(Type.Object({ openid: OpenId, lang: Type.Optional(Lang) })),
    }),
    response: Type.Object({ user_info_list: Type.Array(UserInfo) }),
  }),
  list: endpoint({
    summary: "A page of up to 10 000 follower OpenIDs, after next_openid.",
    method: "GET",
    host: "api",
    path: "/cgi-bin/user/get",
    permission: "user.list",
    request: Type.Object({ next_openid: Type.Optional(Type.String()) }),
    response: CountedOpenIdPage,
    dailyQuota: 500,
  }),

  // Blacklist (users.md §8): no seed row; the nearest family is the tag row (verified accounts only).
  getBlacklist: endpoint({
    summary: "A page of blacklisted OpenIDs, after begin_openid.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/getblacklist",
    permission: "user.tags",
    request: Type.Object({ begin_openid: Type.Optional(Type.String()) }),
    response: CountedOpenIdPage,
  }),
  batchBlacklist: endpoint({
    summary: "Blacklist 1..20 users.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchblacklist",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList }),
    response: Ok,
  }),
  batchUnblacklist: endpoint({
    summary: "Take 1..20 users off the blacklist.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchunblacklist",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList }),
    response: Ok,
  }),

  // Legacy groups (users.md §4): one group per user (`groupid`), reserved groups 0/1/2.
  createGroup: endpoint({
    summary: "Legacy: create a group.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/create",
    permission: "user.tags",
    request: Type.Object({ group: Type.Object({ name: Type.String() }) }),
    response: Type.Object({ group: GroupInfo }),
    dailyQuota: 1000,
  }),
  getGroups: endpoint({
    summary: "Legacy: list groups with their user counts.",
    method: "GET",
    host: "api",
    path: "/cgi-bin/groups/get",
    permission: "user.tags",
    request: Empty,
    response: Type.Object({
      groups: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), count: Type.Integer() })),
    }),
    dailyQuota: 1000,
  }),
  getUserGroup: endpoint({
    summary: "Legacy: the group of one user.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/getid",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId }),
    response: Type.Object({ groupid: Type.Integer() }),
  }),
  updateGroup: endpoint({
    summary: "Legacy: rename a group.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/update",
    permission: "user.tags",
    request: Type.Object({ group: GroupInfo }),
    response: Ok,
    dailyQuota: 1000,
  }),
  moveUserToGroup: endpoint({
    summary: "Legacy: move one user to a group.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/members/update",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId, to_groupid: Type.Integer() }),
    response: Ok,
    dailyQuota: 100000,
  }),
  moveUsersToGroup: endpoint({
    summary: "Legacy: move up to 50 users to a group.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/members/batchupdate",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, to_groupid: Type.Integer() }),
    response: Ok,
  }),
  deleteGroup: endpoint({
    summary: "Legacy: delete a group; its members fall back to group 0.",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/delete",
    permission: "user.tags",
    request: Type.Object({ group: Type.Object({ id: Type.Integer() }) }),
    response: Ok,
  }),
});
