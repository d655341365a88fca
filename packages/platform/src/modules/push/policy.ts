/**
 * Push policies: where callback.md leaves WeChat's behaviour open (§7), a setting with the
 * spec's proposed default. Kept in the push module's own table (global scope `*`, then per
 * account), set through `PUT /_mpstack/push-policy`.
 */
import type { Db } from "../../db/schema.js";
import { scopedPolicies } from "../../db/scoped-policies.js";

export interface PushPolicy {
  /** Wait for the developer's answer this long per attempt (documented: 5 s). */
  timeoutMs: number;
  /**
   * Deliveries in total, the first included. The docs say "总共重试三次"; whether that is 3 or 1 + 3
   * deliveries is unsettled — default 3 in total (callback.md §7).
   */
  attempts: number;
  /** Pause between a failed attempt and the next (unknown — default 0: right after the timeout). */
  retryDelayMs: number;
  /** Reuse timestamp/nonce/signature on retries (unknown — default false: new values, same body). */
  reuseSignature: boolean;
  /**
   * News reply article limit: `current` = 1 for replies to a user's message, 8 otherwise (the
   * current doc, default); `8` or `10` for the older rules (callback.md §6.2).
   */
  newsArticles: "current" | "8" | "10";
  /** Wait for the handshake's echo this long (documented as "late" beyond 5 s). */
  handshakeTimeoutMs: number;
}

export const DEFAULT_PUSH_POLICY: Readonly<PushPolicy> = {
  timeoutMs: 5000,
  attempts: 3,
  retryDelayMs: 0,
  reuseSignature: false,
  newsArticles: "current",
  handshakeTimeoutMs: 5000,
};

/** The push module's policies (table `push_policies`): defaults, global overrides, the account's. */
export const pushPolicies = scopedPolicies("push_policies", DEFAULT_PUSH_POLICY as PushPolicy);

/** The effective policy of an account: defaults, then the global overrides, then the account's. */
export const pushPolicyFor = (db: Db, appid: string): Promise<PushPolicy> => pushPolicies.of(db, appid);
