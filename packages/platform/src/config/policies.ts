/**
 * Policies: the places where WeChat's behaviour is unsure, has changed over time, or differs
 * between documents (spec "unsure" / "emulator choice"). Each has the proposed default; a config
 * file may set them globally (`policies`) and per account (`accounts[i].policies`).
 */
import type { PermissionOverrides } from "@mpstack/protocol";

export interface Policies {
  /** Cells of the permission table that differ from the seed table (spec/permissions.md). */
  permissionOverrides: PermissionOverrides;
  /** Wrong AppSecret on the token endpoints: 40125 (current behaviour) or 40001 (classic docs). */
  wrongSecretCode: 40125 | 40001;
  /** Caller outside the IP whitelist: 40164 (default) or 61004 (newer service-account guide). */
  whitelistCode: 40164 | 61004;
  /** A token that is not even well-formed: 40014 (default) or 40001 (basics.md §3.3 leaves it open). */
  malformedTokenCode: 40014 | 40001;
  /** access_token lifetime in seconds (WeChat: 7200). */
  tokenTtlSeconds: number;
  /** How long the previous /cgi-bin/token token keeps working after a refresh (WeChat: 300). */
  tokenOverlapSeconds: number;
  /** How long the previous stable token keeps working after force_refresh (docs: invalid at once → 0). */
  stableForceRefreshGraceSeconds: number;
  /** stable_token force_refresh limits (documented: 20 a day, 30 s apart). */
  stableForceRefreshPerDay: number;
  stableForceRefreshMinIntervalSeconds: number;
  /** Daily limits by API path; overrides the catalog's `dailyQuota`. `null` = unlimited. */
  dailyQuotas: Record<string, number | null>;
  /** clear_quota resets per month (documented: 10). */
  clearQuotaMonthlyLimit: number;
  /**
   * getblacklist page size: 10 000 (older and English pages, users.md §8; default) or 1 000 (the
   * 2025 reference).
   */
  blacklistPageSize: number;
  /**
   * Longest accepted updateremark remark in UTF-8 bytes: 29 (rejects 30 bytes or more, users.md §5;
   * default). Older pages say "under 30 characters"; set 89 for about 30 Chinese characters.
   */
  remarkMaxBytes: number;
}

export const DEFAULT_POLICIES: Policies = {
  permissionOverrides: {},
  wrongSecretCode: 40125,
  whitelistCode: 40164,
  malformedTokenCode: 40014,
  tokenTtlSeconds: 7200,
  tokenOverlapSeconds: 300,
  stableForceRefreshGraceSeconds: 0,
  stableForceRefreshPerDay: 20,
  stableForceRefreshMinIntervalSeconds: 30,
  dailyQuotas: {},
  clearQuotaMonthlyLimit: 10,
  blacklistPageSize: 10_000,
  remarkMaxBytes: 29,
};

/** Global policies, then the account's own on top (objects merged one level deep). */
export function mergePolicies(base: Policies, over: Partial<Policies> | undefined): Policies {
  if (!over) return base;
  return {
    ...base,
    ...over,
    permissionOverrides: { ...base.permissionOverrides, ...over.permissionOverrides },
    dailyQuotas: { ...base.dailyQuotas, ...over.dailyQuotas },
  };
}
