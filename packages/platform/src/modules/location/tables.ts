/**
 * Location reporting (users.md §10.2): the account's console switch and mode, each simulated user's
 * current position (what the client reports), and the user's consent per account.
 */
export interface LocationSettingsTable {
  appid: string;
  /** `off`, `entry` (report on entering the conversation) or `periodic` (on entry, then every interval). */
  mode: string;
  /** Seconds between periodic reports (WeChat: 5). */
  interval_seconds: number;
}

/** The user's current position; decimals kept as text (portable columns). */
export interface UserLocationTable {
  user_id: string;
  latitude: string;
  longitude: string;
  precision: string;
  updated_at: number;
}

/** The answer to the one-time prompt "may this account use your location?" (absent = allowed). */
export interface LocationConsentTable {
  appid: string;
  user_id: string;
  allowed: number;
}

declare module "../../db/schema.js" {
  interface Database {
    location_settings: LocationSettingsTable;
    user_locations: UserLocationTable;
    location_consents: LocationConsentTable;
  }
}
