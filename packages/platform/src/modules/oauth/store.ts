/**
 * OAuth codes, web tokens, refresh tokens and consents (spec/oauth.md §2.3, §3, §4, §8). Every
 * time comes from the platform clock. A code is taken once with one conditional update, so two
 * concurrent exchanges of the same code cannot both succeed.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { OAuthCodeTable, OAuthRefreshTokenTable, OAuthTokenTable } from "./tables.js";

export const CODE_TTL_MS = 300_000;
export const ACCESS_TTL_SECONDS = 7200;
export const REFRESH_TTL_MS = 30 * 86_400_000;
/** Expired rows are kept a day (so "expired" can be told from "unknown"), then pruned. */
const KEEP_EXPIRED_MS = 86_400_000;

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 32 letters and digits, like WeChat's codes (opaque). */
function newCode(): string {
  const bytes = randomBytes(32);
  let out = "";
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

/** `NN_` and 80 URL-safe characters, the shape of WeChat's web tokens. */
function newToken(): string {
  return `${80 + (randomBytes(1)[0]! % 10)}_${randomBytes(60).toString("base64url")}`;
}

export interface Grant {
  appid: string;
  userId: string;
  openid: string;
  scope: string;
  snapshot: boolean;
}

/** The columns every code and token row holds for its grant. */
const grantColumns = (g: Grant) => ({
  appid: g.appid,
  user_id: g.userId,
  openid: g.openid,
  scope: g.scope,
  snapshot: g.snapshot ? 1 : 0,
});

/** The grant a code or token row carries. */
export const grantOf = (
  r: Pick<OAuthTokenTable, "appid" | "user_id" | "openid" | "scope" | "snapshot">,
): Grant => ({
  appid: r.appid,
  userId: r.user_id,
  openid: r.openid,
  scope: r.scope,
  snapshot: r.snapshot === 1,
});

export async function issueCode(w: World, g: Grant): Promise<string> {
  const now = w.clock.now();
  const code = newCode();
  await w.db
    .insertInto("oauth_codes")
    .values({
      code,
      ...grantColumns(g),
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      used_at: null,
    })
    .execute();
  return code;
}

export type TakeCode =
  | { ok: true; code: OAuthCodeTable }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** Use a code of `appid` once. */
export async function takeCode(w: World, appid: string, code: string): Promise<TakeCode> {
  const now = w.clock.now();
  const taken = await w.db
    .updateTable("oauth_codes")
    .set({ used_at: now })
    .where("code", "=", code)
    .where("appid", "=", appid)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  const row = await w.db.selectFrom("oauth_codes").selectAll().where("code", "=", code).executeTakeFirst();
  if (!row || row.appid !== appid) return { ok: false, reason: "unknown" };
  if (Number(taken.numUpdatedRows) === 1) return { ok: true, code: row };
  return { ok: false, reason: row.used_at !== null ? "used" : "expired" };
}

export interface IssuedWebToken {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  openid: string;
  scope: string;
}

function accessRow(g: Grant, refresh: string, now: number): OAuthTokenTable {
  return {
    token: newToken(),
    ...grantColumns(g),
    refresh_token: refresh,
    created_at: now,
    expires_at: now + ACCESS_TTL_SECONDS * 1000,
    revoked: 0,
  };
}

const answer = (a: OAuthTokenTable): IssuedWebToken => ({
  access_token: a.token,
  expires_in: ACCESS_TTL_SECONDS,
  refresh_token: a.refresh_token,
  openid: a.openid,
  scope: a.scope,
});

/** A new web token and refresh token for a grant (after a code exchange). */
export async function issueTokens(w: World, g: Grant): Promise<IssuedWebToken> {
  const now = w.clock.now();
  const refresh: OAuthRefreshTokenTable = {
    token: newToken(),
    ...grantColumns(g),
    created_at: now,
    expires_at: now + REFRESH_TTL_MS,
    revoked: 0,
  };
  const access = accessRow(g, refresh.token, now);
  await w.db.transaction().execute(async (trx) => {
    await trx.insertInto("oauth_refresh_tokens").values(refresh).execute();
    await trx.insertInto("oauth_tokens").values(access).execute();
  });
  void prune(w, now);
  return answer(access);
}

export type Refreshed =
  | { ok: true; token: IssuedWebToken; grant: Grant }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

/** A new web token from a refresh token of `appid`; the refresh token keeps its own expiry (§4). */
export async function refreshAccess(w: World, appid: string, refreshToken: string): Promise<Refreshed> {
  const now = w.clock.now();
  const r = await w.db
    .selectFrom("oauth_refresh_tokens")
    .selectAll()
    .where("token", "=", refreshToken)
    .executeTakeFirst();
  if (!r || r.appid !== appid) return { ok: false, reason: "unknown" };
  if (r.revoked === 1) return { ok: false, reason: "revoked" };
  if (Number(r.expires_at) <= now) return { ok: false, reason: "expired" };
  const grant = grantOf(r);
  const access = accessRow(grant, r.token, now);
  await w.db.insertInto("oauth_tokens").values(access).execute();
  return { ok: true, token: answer(access), grant };
}

export async function findWebToken(db: Db, token: string): Promise<OAuthTokenTable | undefined> {
  return db.selectFrom("oauth_tokens").selectAll().where("token", "=", token).executeTakeFirst();
}

export async function recordConsent(w: World, appid: string, userId: string, scope: string): Promise<void> {
  const approved_at = w.clock.now();
  await w.db
    .insertInto("oauth_consents")
    .values({ appid, user_id: userId, scope, approved_at })
    .onConflict((oc) => oc.columns(["appid", "user_id", "scope"]).doUpdateSet({ approved_at }))
    .execute();
}

/** When the user last allowed `scope` to `appid`, or null. */
export async function consentTime(
  db: Db,
  appid: string,
  userId: string,
  scope: string,
): Promise<number | null> {
  const r = await db
    .selectFrom("oauth_consents")
    .select("approved_at")
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .where("scope", "=", scope)
    .executeTakeFirst();
  return r ? Number(r.approved_at) : null;
}

export async function forgetConsents(db: Db, userId: string, appid?: string): Promise<number> {
  let q = db.deleteFrom("oauth_consents").where("user_id", "=", userId);
  if (appid) q = q.where("appid", "=", appid);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** The user changed the WeChat password: every web and refresh token of theirs answers 42007. */
export async function revokeUser(w: World, userId: string, appid?: string): Promise<number> {
  return w.db.transaction().execute(async (trx) => {
    let a = trx.updateTable("oauth_tokens").set({ revoked: 1 }).where("user_id", "=", userId);
    let r = trx.updateTable("oauth_refresh_tokens").set({ revoked: 1 }).where("user_id", "=", userId);
    if (appid) {
      a = a.where("appid", "=", appid);
      r = r.where("appid", "=", appid);
    }
    await a.execute();
    return Number((await r.executeTakeFirst()).numUpdatedRows);
  });
}

/** A user's authorizations as the simulator shows them: consents and live refresh tokens. */
export async function authorizationsOf(w: World, userId: string) {
  const now = w.clock.now();
  const consents = await w.db
    .selectFrom("oauth_consents")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("appid")
    .execute();
  const refresh = await w.db
    .selectFrom("oauth_refresh_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
  return {
    consents: consents.map((c) => ({ appid: c.appid, scope: c.scope, approvedAt: Number(c.approved_at) })),
    grants: refresh.map((r) => ({
      appid: r.appid,
      openid: r.openid,
      scope: r.scope,
      snapshot: r.snapshot === 1,
      refreshExpiresAt: Number(r.expires_at),
      revoked: r.revoked === 1,
    })),
  };
}

let lastPrune = 0;

/** Drop codes and tokens expired for more than a day (at most once a minute). */
async function prune(w: World, now: number): Promise<void> {
  if (now - lastPrune < 60_000) return;
  lastPrune = now;
  const before = now - KEEP_EXPIRED_MS;
  try {
    await w.db.deleteFrom("oauth_codes").where("expires_at", "<", before).execute();
    await w.db.deleteFrom("oauth_tokens").where("expires_at", "<", before).execute();
    await w.db.deleteFrom("oauth_refresh_tokens").where("expires_at", "<", before).execute();
  } catch {
    // Pruning is housekeeping: a failure (e.g. the platform closing) changes no answer.
  }
}
