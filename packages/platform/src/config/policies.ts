/**
 * Policies: the places where WeChat's behaviour is unsure, has changed over time, or differs
 * between documents (spec "unsure" / "emulator choice"). Each has the proposed default; a config
 * file may set them globally (`policies`) and per account (`accounts[i].policies`).
 */
import { PERMISSION_IDS, type PermissionOverrides } from "@mpstack/protocol";
import { type TSchema, Type } from "@sinclair/typebox";
import { checkConfig, fail } from "./check.js";

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

const oneOf = (values: readonly number[]) => Type.Union(values.map((v) => Type.Literal(v)));
const count = () => Type.Integer({ minimum: 0 });
const positive = () => Type.Integer({ minimum: 1, errorMessage: "must be a positive integer" });
const Cell = Type.Union([Type.Literal("yes"), Type.Literal("no"), Type.Literal("apply")], {
  errorMessage: 'must be "yes", "no" or "apply"',
});

/** The schema of a `policies` object (global or an account's), every key optional. */
export const PoliciesSchema = Type.Partial(
  Type.Object(
    {
      permissionOverrides: Type.Record(Type.String(), Type.Record(Type.String(), Cell)),
      wrongSecretCode: oneOf([40125, 40001]),
      whitelistCode: oneOf([40164, 61004]),
      malformedTokenCode: oneOf([40014, 40001]),
      tokenTtlSeconds: count(),
      tokenOverlapSeconds: count(),
      stableForceRefreshGraceSeconds: count(),
      stableForceRefreshPerDay: count(),
      stableForceRefreshMinIntervalSeconds: count(),
      dailyQuotas: Type.Record(
        Type.String(),
        Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
          errorMessage: "must be a non-negative integer or null (unlimited)",
        }),
      ),
      clearQuotaMonthlyLimit: count(),
      blacklistPageSize: positive(),
      remarkMaxBytes: positive(),
    } satisfies Record<keyof Policies, TSchema>,
    { additionalProperties: false },
  ),
);

const KINDS = ["US", "VS", "UV", "VV"];

/** A `policies` object (undefined = none), checked; `field` names it in errors. */
export function readPolicies(raw: unknown, field: string): Partial<Policies> {
  if (raw === undefined) return {};
  const p = checkConfig(PoliciesSchema, raw, field);
  for (const path of Object.keys(p.dailyQuotas ?? {})) {
    if (!path.startsWith("/")) fail(`${field}.dailyQuotas.${path}`, "keys are API paths starting with /");
  }
  for (const [id, cells] of Object.entries(p.permissionOverrides ?? {})) {
    const f = `${field}.permissionOverrides.${id}`;
    if (!(PERMISSION_IDS as readonly string[]).includes(id))
      fail(f, "unknown permission row (see spec/permissions.md)");
    for (const kind of Object.keys(cells))
      if (!KINDS.includes(kind)) fail(`${f}.${kind}`, "must be US, VS, UV or VV");
  }
  return p as Partial<Policies>;
}
