/** Tables of the tokens module: issued access tokens (basic and stable series) and their validity. */
export interface AccessTokenTable {
  token: string;
  appid: string;
  /** `basic` (/cgi-bin/token) or `stable` (/cgi-bin/stable_token): two independent series. */
  kind: string;
  issued_at: number;
  expires_at: number;
  /** Set when a newer token superseded this one: it keeps working until then. */
  valid_until: number | null;
  /** 1 for stable tokens issued by force_refresh (they count against the daily limit). */
  forced: number;
}

declare module "../../db/schema.js" {
  interface Database {
    access_tokens: AccessTokenTable;
  }
}
