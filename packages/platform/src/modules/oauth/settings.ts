/**
 * Per-account OAuth settings: the places spec/oauth.md leaves to the emulator (§2, §3, §5, §7,
 * §12), each with the proposed default, changed through the simulator API
 * (`PATCH /_mpstack/accounts/{appid}/oauth-settings`). Cached per database; a reset clears it.
 */
import { type Static, Type } from "@sinclair/typebox";
import { dbCache } from "../../db/cache.js";
import type { Db } from "../../db/schema.js";

export const OAuthSettingsSchema = Type.Object(
  {
    snapshot: Type.Union([Type.Literal("off"), Type.Literal("next"), Type.Literal("always")], {
      description: "snapshot-page mode (§7): off; next = the next snsapi_userinfo authorization only; always",
    }),
    silentReauthDays: Type.Integer({
      minimum: 0,
      maximum: 365,
      description:
        "a consent given within this many days is not asked again unless forcePopup=true (0: always ask)",
    }),
    expiredCodeErrcode: Type.Union([Type.Literal(40029), Type.Literal(42003)], {
      description: "answer to an expired code (§3: 40029 as developers see it, or 42003 code expired)",
    }),
    strictLinks: Type.Boolean({
      description:
        "authorize links checked strictly: documented parameter order, redirect_uri percent-encoded, state present (10013) and a-zA-Z0-9 only",
    }),
    banned: Type.Boolean({ description: "the account is banned (10004 on every authorize)" }),
    testAccount: Type.Boolean({ description: "a test account: the user must follow it first (10006)" }),
    authorizePerMinute: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: "authorize pages per user per minute before 10009 (0: no limit)",
    }),
    snsPerMinute: Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      description: "sns/* calls per account, path and minute before 45011 (documented 50 000)",
    }),
    legacyProfile: Type.Boolean({
      description: "sns/userinfo returns sex/province/city/country (before late 2021) instead of 0 and empty",
    }),
  },
  { additionalProperties: false },
);
export type OAuthSettings = Static<typeof OAuthSettingsSchema>;

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = {
  snapshot: "off",
  silentReauthDays: 30,
  expiredCodeErrcode: 40029,
  strictLinks: false,
  banned: false,
  testAccount: false,
  authorizePerMinute: 0,
  snsPerMinute: 50_000,
  legacyProfile: false,
};

const cache = (db: Db) => dbCache<OAuthSettings>(db, "oauth-settings");

export async function getOAuthSettings(db: Db, appid: string): Promise<OAuthSettings> {
  const hit = cache(db).get(appid);
  if (hit) return hit;
  const row = await db
    .selectFrom("oauth_settings")
    .select("settings")
    .where("appid", "=", appid)
    .executeTakeFirst();
  const settings = {
    ...DEFAULT_OAUTH_SETTINGS,
    ...(row ? (JSON.parse(row.settings) as Partial<OAuthSettings>) : {}),
  };
  cache(db).set(appid, settings);
  return settings;
}

export async function setOAuthSettings(
  db: Db,
  appid: string,
  change: Partial<OAuthSettings>,
): Promise<OAuthSettings> {
  const next = { ...(await getOAuthSettings(db, appid)), ...change };
  const settings = JSON.stringify(next);
  await db
    .insertInto("oauth_settings")
    .values({ appid, settings })
    .onConflict((oc) => oc.column("appid").doUpdateSet({ settings }))
    .execute();
  cache(db).set(appid, next);
  return next;
}
