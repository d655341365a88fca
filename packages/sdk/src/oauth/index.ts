/** OAuth web authorization helpers (spec/oauth.md). */
export {
  type AuthorizeUrlOptions,
  createOAuth,
  type OAuthOptions,
  type OAuthToken,
  type OAuthUserInfo,
  WechatOAuth,
} from "./oauth.js";
