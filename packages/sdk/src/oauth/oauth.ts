/**
 * OAuth web authorization for an Official Account's pages (spec/oauth.md): the authorize URL
 * (parameters in WeChat's documented order, `redirect_uri` percent-encoded, `#wechat_redirect`
 * last), the code exchange, refresh, the user's profile and the token check. Works against
 * WeChat and against the platform (`baseUrl`); the secret never leaves the server.
 */
import { catalog, OAUTH_SCOPES, type OAuthScope, type ResponseOf } from "@mpstack/protocol";
import { type ClientOptions, createClient, type WechatClient } from "../client/client.js";
import { WechatApiError } from "../client/errors.js";

/** What the exchange and a refresh answer (WeChat's field names). */
export type OAuthToken = ResponseOf<typeof catalog.oauth.accessToken>;
/** The profile of `sns/userinfo` (`sex` is a number on WeChat, a string in some fixtures). */
export type OAuthUserInfo = ResponseOf<typeof catalog.oauth.userinfo>;

export interface OAuthOptions
  extends Pick<ClientOptions, "appId" | "appSecret" | "baseUrl" | "fetch" | "timeoutMs"> {
  /**
   * Where the browser is sent to authorize. Default: `baseUrl` when set (the platform serves the
   * open host too), else `https://open.weixin.qq.com`.
   */
  authorizeBaseUrl?: string;
}

export interface AuthorizeUrlOptions {
  /** The page WeChat sends the browser back to; its host must be an authorization domain. */
  redirectUri: string;
  /** `snsapi_base` (silent, OpenID only; default) or `snsapi_userinfo` (consent, profile). */
  scope?: OAuthScope;
  /** Returned unchanged: letters and digits, at most 128 bytes. */
  state?: string;
  /** Show the consent popup even where WeChat would authorize silently. */
  forcePopup?: boolean;
}

const STATE = /^[A-Za-z0-9]{0,128}$/;

export class WechatOAuth {
  readonly appId: string;
  readonly #client: WechatClient;
  readonly #secret: string;
  readonly #authorizeBase: string;

  constructor(options: OAuthOptions) {
    this.appId = options.appId;
    this.#secret = options.appSecret;
    this.#client = createClient(options);
    this.#authorizeBase = (
      options.authorizeBaseUrl ??
      options.baseUrl ??
      "https://open.weixin.qq.com"
    ).replace(/\/+$/, "");
  }

  /** The URL to send the browser to (a 302 from your page, or a link). */
  authorizeUrl(o: AuthorizeUrlOptions): string {
    const scope = o.scope ?? "snsapi_base";
    if (!(OAUTH_SCOPES as readonly string[]).includes(scope)) throw new RangeError(`unknown scope ${scope}`);
    const state = o.state ?? "";
    if (!STATE.test(state)) throw new RangeError("state: letters and digits only, at most 128");
    if (!/^https?:\/\//i.test(o.redirectUri)) throw new RangeError("redirectUri: an absolute http(s) URL");
    const query =
      `appid=${encodeURIComponent(this.appId)}&redirect_uri=${encodeURIComponent(o.redirectUri)}` +
      `&response_type=code&scope=${scope}&state=${state}${o.forcePopup ? "&forcePopup=true" : ""}`;
    return `${this.#authorizeBase}/connect/oauth2/authorize?${query}#wechat_redirect`;
  }

  /** The code from the redirect → a web token (2 h), a refresh token (30 days), the OpenID. */
  exchangeCode(code: string): Promise<OAuthToken> {
    return this.#client.oauth.accessToken({
      appid: this.appId,
      secret: this.#secret,
      code,
      grant_type: "authorization_code",
    });
  }

  /** A fresh web token from the refresh token (which keeps its own 30-day expiry). */
  refresh(refreshToken: string): Promise<OAuthToken> {
    return this.#client.oauth.refreshToken({
      appid: this.appId,
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    });
  }

  /** The profile, with a snsapi_userinfo web token (a snsapi_base one answers 48001). */
  userInfo(
    accessToken: string,
    openid: string,
    lang: "zh_CN" | "zh_TW" | "en" = "zh_CN",
  ): Promise<OAuthUserInfo> {
    return this.#client.request<OAuthUserInfo>(
      "GET",
      catalog.oauth.userinfo.path,
      undefined,
      { access_token: accessToken, openid, lang },
      { withToken: false },
    );
  }

  /** Whether the web token is still valid for this OpenID (`sns/auth`); false on any errcode. */
  async checkToken(accessToken: string, openid: string): Promise<boolean> {
    try {
      await this.#client.request(
        "GET",
        catalog.oauth.auth.path,
        undefined,
        { access_token: accessToken, openid },
        {
          withToken: false,
        },
      );
      return true;
    } catch (err) {
      if (err instanceof WechatApiError) return false;
      throw err;
    }
  }
}

/** The OAuth helper of one account. */
export function createOAuth(options: OAuthOptions): WechatOAuth {
  return new WechatOAuth(options);
}
