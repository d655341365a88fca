/**
 * Customer-service policies: where customer-service.md leaves WeChat's behaviour open or where it
 * changed over time, a setting with the spec's proposed default. Kept in this module's own table
 * (global scope `*`, then per account), set through `PUT /_mpstack/customer-service-policy`.
 */
import type { Db } from "../../db/schema.js";
import { scopedPolicies } from "../../db/scoped-policies.js";

/**
 * The service-window rules over time (§2.1/§2.3): `current` (from 2023-06-12, default), `2021`,
 * `legacy-20` (every action 20 messages / 48 h) and `seed` (unlimited for 48 h after any action).
 */
export type WindowProfile = "current" | "2021" | "legacy-20" | "seed";

/** Who may send `msgmenu` (§3.11: verified service accounts by default, else 40200). */
export type MsgMenuAccounts = "verified_service" | "verified" | "any";

export interface CustomerServicePolicy {
  profile: WindowProfile;
  /** Longest text `content` in UTF-8 bytes (45002); no official limit, so 0 = off, the default (§3.1). */
  textMaxBytes: number;
  /** Most `news` articles (45008): 1 in the current docs, 8 in older ones (§3.6). */
  newsArticles: number;
  msgmenuAccounts: MsgMenuAccounts;
  /** Most `msgmenu.list` items (45098) and characters per item (45099): undocumented, §3.11 defaults. */
  msgmenuMaxItems: number;
  msgmenuItemMaxChars: number;
  /**
   * Mini Programs linked to the account (text links' `data-miniprogram-appid`, `miniprogrampage.appid`;
   * 45086 otherwise). Links are not modelled elsewhere yet, so `"any"` (default) treats every
   * well-formed Mini Program appid (`wx` + 16 hex) as linked.
   */
  linkedMiniPrograms: "any" | string[];
  /** How long `Typing` shows (documented: 15 s) and the interaction it needs (documented: 30 s). */
  typingSeconds: number;
  typingInteractionSeconds: number;
}

export const DEFAULT_CS_POLICY: Readonly<CustomerServicePolicy> = {
  profile: "current",
  textMaxBytes: 0,
  newsArticles: 1,
  msgmenuAccounts: "verified_service",
  msgmenuMaxItems: 10,
  msgmenuItemMaxChars: 64,
  linkedMiniPrograms: "any",
  typingSeconds: 15,
  typingInteractionSeconds: 30,
};

/** The customer-service policies (table `cs_policies`): defaults, global overrides, the account's. */
export const csPolicies = scopedPolicies("cs_policies", DEFAULT_CS_POLICY as CustomerServicePolicy);

/** The effective policy of an account: defaults, then the global overrides, then the account's. */
export const csPolicyFor = (db: Db, appid: string): Promise<CustomerServicePolicy> =>
  csPolicies.of(db, appid);
