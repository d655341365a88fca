/**
 * Parametric QR codes (qrcode-shorturl.md §1): one row per code, found by its ticket (showqrcode,
 * Ticket of the scan events) or by the token of its URL (`http://weixin.qq.com/q/<token>`, what the
 * image encodes and what a simulated client resolves when it scans).
 */
export interface QrcodeTable {
  ticket: string;
  appid: string;
  /** QR_SCENE, QR_STR_SCENE, QR_LIMIT_SCENE, QR_LIMIT_STR_SCENE. */
  action_name: string;
  /** Integer scene (0 for string codes). */
  scene_id: number;
  /** String scene ("" for integer codes). */
  scene_str: string;
  url_token: string;
  /** 1 = permanent (never expires, at most 100 000 per account). */
  permanent: number;
  created_at: number;
  /** ms; null for permanent codes. */
  expire_at: number | null;
}

/** Per-account QR settings where the spec leaves a choice (qrcode-shorturl.md §1.1, §9). */
export interface QrcodeSettingsTable {
  appid: string;
  /** expire_seconds when omitted (current page: 60; older pages: 30). */
  default_expire_seconds: number;
  /** 1 = expire_seconds above 30 days is refused with 40097 instead of clamped. */
  strict_expire: number;
  /** Max permanent codes per account (WeChat: 100 000). */
  permanent_limit: number;
}

/** Short keys (shorten/gen, qrcode-shorturl.md §5): up to 4 KB of text stored for up to 30 days. */
export interface ShortKeyTable {
  short_key: string;
  appid: string;
  long_data: string;
  created_at: number;
  expire_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    qrcodes: QrcodeTable;
    qrcode_settings: QrcodeSettingsTable;
    short_keys: ShortKeyTable;
  }
}
