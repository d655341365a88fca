/**
 * OAuth web authorization (网页授权, spec/oauth.md): the authorize page on the open host (a page a
 * browser opens, answering HTML or a redirect, never JSON), the consent form's reply, and the four
 * JSON calls on the api host that take a code to a user-scoped token and a profile. The `sns/*`
 * calls carry appid/secret or the web token in the query, not the account's access_token.
 */
import { Type } from "@sinclair/typebox";
import { BinaryFile } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

/** The two scopes of an Official Account. */
export const OAUTH_SCOPES = ["snsapi_base", "snsapi_userinfo"] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/** The answer of the code exchange and of a refresh (spec/oauth.md §3, §4). */
const WebToken = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
  openid: Type.String(),
  scope: Type.String(),
  /** Only when the account is bound to an open platform and the scope is snsapi_userinfo. */
  unionid: Type.Optional(Type.String()),
  /** 1 when the user is a snapshot-page virtual account (§7); absent otherwise. */
  is_snapshotuser: Type.Optional(Type.Integer()),
});

export const oauth = group("oauth", {
  /**
   * 用户同意授权，获取code
   *
   * 网页授权 · 用户同意授权，获取code
   *
   * The page a browser inside WeChat opens: silent for snsapi_base, a consent page for
   * snsapi_userinfo, then a 302 to `redirect_uri?code=CODE&state=STATE`; error pages carry the
   * 100xx codes. Build the URL with the SDK's OAuth helper; this entry is the route, not a JSON call.
   *
   *
   * See spec/basics.md §2.
   */
  authorize: endpoint({
    title: "用户同意授权，获取code",
    method: "GET",
    host: "open",
    path: "/connect/oauth2/authorize",
    permission: null,
    auth: "none",
    // Every check is the page's own (error pages, not JSON), so the schema accepts any query.
    request: Type.Object({
      appid: Type.Optional(Type.String()),
      redirect_uri: Type.Optional(Type.String()),
      response_type: Type.Optional(Type.String()),
      scope: Type.Optional(Type.String()),
      state: Type.Optional(Type.String()),
      forcePopup: Type.Optional(Type.String()),
      forceSnapShot: Type.Optional(Type.String()),
    }),
    response: BinaryFile,
    responseKind: "binary",
  }),
  /**
   * 授权页的用户选择
   *
   * The consent page's buttons (allow, deny, or open a snapshot page): a single-use ticket the
   * page carries, valid only for the user who saw the page. Not a call a developer makes (the
   * redirect is §2.2, snapshot pages §7).
   *
   * See spec/oauth.md §2.1.
   */
  authorizeReply: endpoint({
    title: "授权页的用户选择",
    method: "GET",
    host: "open",
    path: "/connect/oauth2/authorize_reply",
    permission: null,
    auth: "none",
    request: Type.Object({
      ticket: Type.Optional(Type.String()),
      action: Type.Optional(Type.String()),
    }),
    response: BinaryFile,
    responseKind: "binary",
  }),
  /**
   * 通过code换取网页授权access_token
   *
   * Exchange a code (5 minutes, single use) for a web token (7200 s) and a refresh token (30 days).
   *
   * See spec/oauth.md §3.
   */
  accessToken: endpoint({
    title: "通过code换取网页授权access_token",
    method: "GET",
    host: "api",
    path: "/sns/oauth2/access_token",
    permission: "user.oauth",
    auth: "none",
    request: Type.Object({
      appid: Type.String(),
      secret: Type.String(),
      code: Type.String(),
      grant_type: Type.Literal("authorization_code"),
    }),
    response: WebToken,
  }),
  /**
   * 刷新access_token（如果需要）
   *
   * A new web token from the refresh token (no secret needed); the refresh token keeps its expiry.
   *
   * See spec/oauth.md §4.
   */
  refreshToken: endpoint({
    title: "刷新access_token（如果需要）",
    method: "GET",
    host: "api",
    path: "/sns/oauth2/refresh_token",
    permission: "user.oauth",
    auth: "none",
    request: Type.Object({
      appid: Type.String(),
      grant_type: Type.Literal("refresh_token"),
      refresh_token: Type.String(),
    }),
    response: WebToken,
  }),
  /**
   * 拉取用户信息(需scope为 snsapi_userinfo)
   *
   * The user's profile with a snsapi_userinfo web token (48001 for snsapi_base). The web token
   * travels as `access_token`: call it through the SDK's OAuth helper (the typed client fills
   * `access_token` with the account's own token, which is not this one).
   *
   * See spec/oauth.md §5.
   */
  userinfo: endpoint({
    title: "拉取用户信息(需scope为 snsapi_userinfo)",
    method: "GET",
    host: "api",
    path: "/sns/userinfo",
    permission: "user.oauth",
    auth: "none",
    // The web token travels as `access_token` in the query, beside these fields.
    request: Type.Object({
      openid: Type.String(),
      /** zh_CN (default), zh_TW or en: the language of the region names. */
      lang: Type.Optional(Type.String()),
    }),
    response: Type.Object({
      openid: Type.String(),
      nickname: Type.String(),
      /** 1 male, 2 female, 0 unknown (0 for authorizations since late 2021). Some SDK fixtures hold a string. */
      sex: Type.Union([Type.Integer(), Type.String()]),
      province: Type.String(),
      city: Type.String(),
      country: Type.String(),
      headimgurl: Type.String(),
      privilege: Type.Array(Type.String()),
      unionid: Type.Optional(Type.String()),
    }),
  }),
  /**
   * 检验授权凭证（access_token）是否有效
   *
   * `{"errcode":0,"errmsg":"ok"}` while the web token is valid for this OpenID.
   *
   * See spec/oauth.md §6.
   */
  auth: endpoint({
    title: "检验授权凭证（access_token）是否有效",
    method: "GET",
    host: "api",
    path: "/sns/auth",
    permission: "user.oauth",
    auth: "none",
    // The web token travels as `access_token` in the query, beside `openid`.
    request: Type.Object({ openid: Type.String() }),
    response: Type.Object({ errcode: Type.Number(), errmsg: Type.String() }),
  }),
});
