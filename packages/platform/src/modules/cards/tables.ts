/**
 * The cards module's tables: card definitions, codes (claimed, deposited), the test whitelist,
 * card QR codes and per-account review settings (card api_tickets are the JS-SDK module's). Times in
 * platform ms.
 */
export interface CardTable {
  card_id: string;
  appid: string;
  card_type: string;
  /** JSON of the card object as created (updated by card/update). */
  body: string;
  /** CARD_STATUS_NOT_VERIFY | _VERIFY_OK | _VERIFY_FAIL | _DELETE */
  status: string;
  /** Stock left. */
  quantity: number;
  total_quantity: number;
  get_limit: number;
  use_custom_code: number;
  bind_openid: number;
  /** ms; null = no fixed range (FIX_TERM or PERMANENT). */
  begin_at: number | null;
  end_at: number | null;
  fixed_term: number;
  fixed_begin_term: number;
  review_at: number | null;
  created_at: number;
}

export interface CardCodeTable {
  appid: string;
  code: string;
  card_id: string;
  user_id: string;
  openid: string;
  /** DEPOSITED (custom code not yet claimed) | NORMAL | CONSUMED | DELETE | UNAVAILABLE */
  status: string;
  outer_str: string;
  begin_at: number;
  end_at: number;
  received_at: number | null;
  consumed_at: number | null;
}

export interface CardWhitelistTable {
  appid: string;
  openid: string;
}

export interface CardQrcodeTable {
  ticket: string;
  appid: string;
  url_token: string;
  /** JSON: [{ card_id, code?, openid?, outer_str?, is_unique_code? }] */
  cards: string;
  expire_at: number;
  /** 1 once a unique-code QR was used. */
  used: number;
  created_at: number;
}

export interface CardSettingsTable {
  appid: string;
  /** auto (approved after review_seconds) | manual (the simulator decides) */
  review: string;
  review_seconds: number;
}

declare module "../../db/schema.js" {
  interface Database {
    cards: CardTable;
    card_codes: CardCodeTable;
    card_whitelist: CardWhitelistTable;
    card_qrcodes: CardQrcodeTable;
    card_settings: CardSettingsTable;
  }
}
