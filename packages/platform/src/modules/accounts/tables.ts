/** Tables of the accounts module: accounts (settings as JSON text where nested) and open platforms. */
export interface OpenPlatformTable {
  id: string;
  name: string;
  created_at: number;
}

export interface AccountTable {
  appid: string;
  secret: string;
  name: string;
  original_id: string;
  type: string;
  verified: number;
  open_platform_id: string | null;
  /** JSON array of grants. */
  grants: string;
  server_url: string;
  server_token: string;
  server_aes_key: string;
  server_mode: string;
  /** JSON arrays. */
  ip_whitelist: string;
  oauth_domains: string;
  jssdk_domains: string;
  /** JSON object: this account's policy overrides. */
  policies: string;
  seq: number;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    open_platforms: OpenPlatformTable;
    accounts: AccountTable;
  }
}
