/**
 * The legacy groups API (spec/users.md §4): one group per user (`groupid`), reserved groups 0/1/2.
 * Superseded by tags in 2016 but still called by older SDKs, so the platform serves it.
 */
import { Type } from "@sinclair/typebox";
import { Empty, Ok, OpenId } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { OpenIdList } from "./openid-lists.js";

const GroupInfo = Type.Object({ id: Type.Integer(), name: Type.String() });

export const groups = group("groups", {
  /**
   * 创建分组
   *
   * Legacy: create a group.
   *
   * See spec/users.md §4.
   */
  create: endpoint({
    title: "创建分组",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/create",
    permission: "user.tags",
    request: Type.Object({ group: Type.Object({ name: Type.String() }) }),
    response: Type.Object({ group: GroupInfo }),
    dailyQuota: 1000,
  }),
  /**
   * 查询所有分组
   *
   * Legacy: list groups with their user counts.
   *
   * See spec/users.md §4.
   */
  get: endpoint({
    title: "查询所有分组",
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
  /**
   * 查询用户所在分组
   *
   * Legacy: the group of one user.
   *
   * See spec/users.md §4.
   */
  getUserGroup: endpoint({
    title: "查询用户所在分组",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/getid",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId }),
    response: Type.Object({ groupid: Type.Integer() }),
  }),
  /**
   * 修改分组名
   *
   * Legacy: rename a group.
   *
   * See spec/users.md §4.
   */
  update: endpoint({
    title: "修改分组名",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/update",
    permission: "user.tags",
    request: Type.Object({ group: GroupInfo }),
    response: Ok,
    dailyQuota: 1000,
  }),
  /**
   * 移动用户分组
   *
   * Legacy: move one user to a group.
   *
   * See spec/users.md §4.
   */
  moveUser: endpoint({
    title: "移动用户分组",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/members/update",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId, to_groupid: Type.Integer() }),
    response: Ok,
    dailyQuota: 100000,
  }),
  /**
   * 批量移动用户分组
   *
   * Legacy: move up to 50 users to a group.
   *
   * See spec/users.md §4.
   */
  moveUsers: endpoint({
    title: "批量移动用户分组",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/members/batchupdate",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, to_groupid: Type.Integer() }),
    response: Ok,
  }),
  /**
   * 删除分组
   *
   * Legacy: delete a group; its members fall back to group 0.
   *
   * See spec/users.md §4.
   */
  delete: endpoint({
    title: "删除分组",
    method: "POST",
    host: "api",
    path: "/cgi-bin/groups/delete",
    permission: "user.tags",
    request: Type.Object({ group: Type.Object({ id: Type.Integer() }) }),
    response: Ok,
  }),
});
