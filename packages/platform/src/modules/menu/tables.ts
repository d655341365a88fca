/**
 * Menus of an account: one default menu and any number of personalised (conditional) menus, each a
 * row with its own `menuid` (allocated in increasing order, so `menuid` order = creation order).
 */
export interface MenuTable {
  menuid: number;
  appid: string;
  /** `default` or `conditional`. */
  kind: string;
  /** The normalised buttons as JSON (menu/get shape, `sub_button: []` on leaves). */
  buttons: string;
  /** The matchrule as written (JSON, values as strings, `tag_id` under its own name); null for the default menu. */
  matchrule: string | null;
  created_at: number;
}

/** Per-account menu settings where WeChat is unsure (menu.md §6.1, §11); absent row = defaults. */
export interface MenuSettingsTable {
  appid: string;
  /** Max personalised menus (65305); undocumented on WeChat. */
  conditional_limit: number;
  /** 1 = the 2025 privacy rules (sex/region/language refused with 65320 and never matched). */
  privacy_mode: number;
  /** 1 = refuse `\uXXXX` escapes (40033) and non-UTF-8 bodies (65318). */
  strict_charset: number;
  /** Seconds a simulated client keeps the menu it fetched (menu.md §1: 300). */
  client_ttl_seconds: number;
}

/** The simulated client of a user (menu.md §6.4): its platform 1 iOS, 2 Android, 3 others. */
export interface MenuClientTable {
  user_id: string;
  platform: number;
}

declare module "../../db/schema.js" {
  interface Database {
    menus: MenuTable;
    menu_settings: MenuSettingsTable;
    menu_clients: MenuClientTable;
  }
}
