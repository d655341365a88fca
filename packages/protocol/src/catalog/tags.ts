/**
 * User tags (spec/users.md §3): the account's tags and which followers carry them. Reserved tags
 * 0, 1, 2 cannot be changed; a follower carries at most 20 tags.
 */
import { Type } from "@sinclair/typebox";
import { Empty, Ok, OpenId } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";
import { OpenIdList, OpenIdPage } from "./openid-lists.js";

export const TagId = Type.Integer();
const Tag = Type.Object({ id: TagId, name: Type.String() });
const TagRef = Type.Object({ tag: Type.Object({ id: TagId }) });

export const tags = group("tags", {
  /**
   * 创建标签
   *
   * Create a tag (name ≤ 30 bytes, unique; at most 100 tags).
   *
   * See spec/users.md §3.1.
   */
  create: endpoint({
    title: "创建标签",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/create",
    permission: "user.tags",
    request: Type.Object({ tag: Type.Object({ name: Type.String() }) }),
    response: Type.Object({ tag: Tag }),
  }),
  /**
   * 获取公众号已创建的标签
   *
   * List the account's tags with their user counts.
   *
   * See spec/users.md §3.2.
   */
  get: endpoint({
    title: "获取公众号已创建的标签",
    method: "GET",
    host: "api",
    path: "/cgi-bin/tags/get",
    permission: "user.tags",
    request: Empty,
    response: Type.Object({
      tags: Type.Array(Type.Object({ id: TagId, name: Type.String(), count: Type.Integer() })),
    }),
  }),
  /**
   * 编辑标签
   *
   * Rename a tag (system tags 0, 1, 2 cannot be changed).
   *
   * See spec/users.md §3.3.
   */
  update: endpoint({
    title: "编辑标签",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/update",
    permission: "user.tags",
    request: Type.Object({ tag: Tag }),
    response: Ok,
  }),
  /**
   * 删除标签
   *
   * Delete a tag; it leaves every user's tagid_list.
   *
   * See spec/users.md §3.4.
   */
  delete: endpoint({
    title: "删除标签",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/delete",
    permission: "user.tags",
    request: TagRef,
    response: Ok,
  }),
  /**
   * 获取标签下粉丝列表
   *
   * A page of the OpenIDs carrying a tag, after next_openid.
   *
   * See spec/users.md §3.5.
   */
  getUsers: endpoint({
    title: "获取标签下粉丝列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/user/tag/get",
    permission: "user.tags",
    request: Type.Object({ tagid: TagId, next_openid: Type.Optional(Type.String()) }),
    response: OpenIdPage,
  }),
  /**
   * 批量为用户打标签
   *
   * Put a tag on 1..50 users (a user carries at most 20 tags).
   *
   * See spec/users.md §3.6.
   */
  tagUsers: endpoint({
    title: "批量为用户打标签",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchtagging",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, tagid: TagId }),
    response: Ok,
  }),
  /**
   * 批量为用户取消标签
   *
   * Take a tag off 1..50 users.
   *
   * See spec/users.md §3.7.
   */
  untagUsers: endpoint({
    title: "批量为用户取消标签",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/members/batchuntagging",
    permission: "user.tags",
    request: Type.Object({ openid_list: OpenIdList, tagid: TagId }),
    response: Ok,
  }),
  /**
   * 获取用户身上的标签列表
   *
   * The tag ids one user carries.
   *
   * See spec/users.md §3.8.
   */
  getUserTags: endpoint({
    title: "获取用户身上的标签列表",
    method: "POST",
    host: "api",
    path: "/cgi-bin/tags/getidlist",
    permission: "user.tags",
    request: Type.Object({ openid: OpenId }),
    response: Type.Object({ tagid_list: Type.Array(TagId) }),
  }),
});
