/**
 * The OAuth module's tables (spec/oauth.md §8): codes (5 minutes, single use), web tokens
 * (7200 s), refresh tokens (30 days), the consents users gave (for the silent re-authorization
 * window), and per-account settings where the spec leaves a choice. Times are platform-clock ms.
 */
export interface OAuthCodeTable {
  code: string;
  appid: string;
  user_id: string;
  /** The OpenID the exchange answers (a virtual one for snapshot users). */
  openid: string;
  scope: string;
  /** 1 = issued in snapshot-page mode (§7). */
  snapshot: number;
  created_at: number;
  expires_at: number;
  /** When it was exchanged; null while unused. */
  used_at: number | null;
}

/** A web-authorization access token (网页授权 access_token), unrelated to the account's basic token. */
export interface OAuthTokenTable {
  token: string;
  appid: string;
  user_id: string;
  openid: string;
  scope: string;
  snapshot: number;
  /** The refresh token it was issued with (or refreshed from). */
  refresh_token: string;
  created_at: number;
  expires_at: number;
  /** 1 = voided because the user changed the WeChat password (42007). */
  revoked: number;
}

export interface OAuthRefreshTokenTable {
  token: string;
  appid: string;
  user_id: string;
  openid: string;
  scope: string;
  snapshot: number;
  created_at: number;
  expires_at: number;
  revoked: number;
}

/** The last time a user allowed an account a scope on the consent page. */
export interface OAuthConsentTable {
  appid: string;
  user_id: string;
  scope: string;
  approved_at: number;
}

/** Per-account choices (JSON of `OAuthSettings`, see settings.ts). */
export interface OAuthSettingsTable {
  appid: string;
  settings: string;
}

declare module "../../db/schema.js" {
  interface Database {
    oauth_codes: OAuthCodeTable;
    oauth_tokens: OAuthTokenTable;
    oauth_refresh_tokens: OAuthRefreshTokenTable;
    oauth_consents: OAuthConsentTable;
    oauth_settings: OAuthSettingsTable;
  }
}
