/** The web-identity module's table: the key that signs browsing cookies (one row, made on first use). */
export interface WebIdentityKeyTable {
  id: string;
  /** Hex of 32 random bytes. */
  secret: string;
}

declare module "../../db/schema.js" {
  interface Database {
    web_identity_keys: WebIdentityKeyTable;
  }
}
