/**
 * Lists of OpenIDs shared by the follower, tag and group endpoints (spec/users.md): the request's
 * `openid_list` and the paged answers of `user/get`, `user/tag/get` and the blacklist.
 */
import { Type } from "@sinclair/typebox";
import { OpenId } from "../schemas.js";

/** `openid_list` of a batch request. */
export const OpenIdList = Type.Array(OpenId);

const OpenIds = Type.Object({ openid: Type.Array(Type.String()) });

/** One page of OpenIDs; past the end WeChat sends `count: 0`, `next_openid: ""` and no `data`. */
export const OpenIdPage = Type.Object({
  count: Type.Integer(),
  data: Type.Optional(OpenIds),
  next_openid: Type.String(),
});

/** A page that also states the list's `total`. */
export const CountedOpenIdPage = Type.Object({
  total: Type.Integer(),
  count: Type.Integer(),
  data: Type.Optional(OpenIds),
  next_openid: Type.String(),
});
