/**
 * What every part of the platform knows about an official account: its identity, type, grants,
 * server settings and domains. The accounts module stores accounts; the API pipeline, policies and
 * every area module read this shape, so it lives in the core beside the clock and the database.
 */
import type { AccountType, Grant } from "@mpstack/protocol";
import type { Policies } from "./config/policies.js";

/** Message security mode (明文 / 兼容 / 安全), same values as the protocol's `SecurityMode`. */
export type ServerMode = "plain" | "compatible" | "safe";

/** The developer-server settings of an account (开发 → 基本配置 → 服务器配置). */
export interface ServerSettings {
  /** The developer's URL WeChat pushes to; "" = not configured (nothing is pushed). */
  url: string;
  /** Token used for signatures (3–32 letters/digits). */
  token: string;
  /** 43 characters; base64 of the AES key without the trailing "=". */
  encodingAESKey: string;
  mode: ServerMode;
}

export interface Account {
  appid: string;
  secret: string;
  name: string;
  /** The original id (原始ID, `gh_` + 12 hex), the `ToUserName` of pushes. */
  originalId: string;
  type: AccountType;
  verified: boolean;
  grants: Grant[];
  openPlatformId: string | null;
  server: ServerSettings;
  /** API IP whitelist (addresses or CIDR ranges); empty = not enforced. */
  ipWhitelist: string[];
  /** Domains for OAuth redirects (网页授权域名). */
  oauthDomains: string[];
  /** JS-SDK safe domains (JS接口安全域名). */
  jssdkDomains: string[];
  /** This account's policy overrides (merged over the global policies). */
  policies: Partial<Policies>;
  /** Order of creation (1, 2, …): the `N` of `MPSTACK_APPID_N`. */
  seq: number;
  createdAt: number;
}

export interface OpenPlatform {
  id: string;
  name: string;
  createdAt: number;
}
