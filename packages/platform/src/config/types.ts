/** The world a config file declares (after validation and defaults). See README "Config file". */
import type { AccountType, Grant } from "@mpstack/protocol";
import type { ServerMode } from "../account.js";
import type { Policies } from "./policies.js";

export interface OpenPlatformConfig {
  id: string;
  name: string;
}

export interface AccountConfig {
  appid: string;
  secret: string;
  name: string;
  type: AccountType;
  verified: boolean;
  openPlatform: string | null;
  grants: Grant[];
  /** `gh_` + 12 hex; derived from the appid when omitted. */
  originalId: string;
  server: { url: string; token: string; encodingAESKey: string; mode: ServerMode };
  ipWhitelist: string[];
  oauthDomains: string[];
  jssdkDomains: string[];
  policies: Partial<Policies>;
}

export interface UserConfig {
  id: string;
  nickname: string;
  avatarUrl: string;
  /** 0 unknown, 1 male, 2 female (OAuth userinfo). */
  sex: number;
  language: string;
  country: string;
  province: string;
  city: string;
}

export interface FollowConfig {
  user: string;
  account: string;
  /** subscribe_scene, default ADD_SCENE_OTHERS. */
  scene: string;
  qrScene: number;
  qrSceneStr: string;
}

export interface PlatformConfig {
  openPlatforms: OpenPlatformConfig[];
  accounts: AccountConfig[];
  users: UserConfig[];
  follows: FollowConfig[];
  /** Global policies (see config/policies.ts). */
  policies: Partial<Policies>;
}

export const SUBSCRIBE_SCENES = [
  "ADD_SCENE_SEARCH",
  "ADD_SCENE_ACCOUNT_MIGRATION",
  "ADD_SCENE_PROFILE_CARD",
  "ADD_SCENE_QR_CODE",
  "ADD_SCENE_PROFILE_LINK",
  "ADD_SCENE_PROFILE_ITEM",
  "ADD_SCENE_PAID",
  "ADD_SCENE_WECHAT_ADVERTISEMENT",
  "ADD_SCENE_REPRINT",
  "ADD_SCENE_LIVESTREAM",
  "ADD_SCENE_CHANNELS",
  "ADD_SCENE_OTHERS",
] as const;

/**
 * A top-level section of the config file, owned by one module (`accounts`, `users`, …): `read`
 * turns the raw value (undefined when absent) into its typed, defaulted form, or throws a
 * ConfigError naming the field. `sofar` holds the sections of the modules set up before this one.
 */
export interface ConfigSection {
  readonly key: string;
  read(raw: unknown, sofar: Readonly<Record<string, unknown>>): unknown;
}
