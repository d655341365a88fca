/**
 * access_token rules (spec/basics.md §3–4).
 *
 * basic (/cgi-bin/token): every call issues a new token (7200 s); the previous one keeps working
 * for 5 minutes, older ones stop at once.
 * stable (/cgi-bin/stable_token): a separate series. Normal mode returns the current token while
 * it has more than 5 minutes left, else issues a new one (the old one lives to its natural end);
 * force_refresh issues a new one and ends the old one after `stableForceRefreshGraceSeconds`
 * (default 0), at most `stableForceRefreshPerDay` times a day and 30 s apart — otherwise the
 * current token is returned unchanged.
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../../account.js";
import { cstDay } from "../../clock.js";
import type { Policies } from "../../config/policies.js";
import { dbCache } from "../../db/cache.js";
import type { Db, Tx } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { getAccount } from "../accounts/index.js";
import type { AccessTokenTable } from "./tables.js";

export type TokenKind = "basic" | "stable";

export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

/** WeChat tokens are long runs of [A-Za-z0-9_-]; anything else is "not even well-formed" (40014). */
const WELL_FORMED = /^[A-Za-z0-9_-]{16,512}$/;

const cache = (db: Db) => dbCache<AccessTokenTable>(db, "tokens");

function newTokenValue(): string {
  // 128 characters, like WeChat's (reserve ≥ 512 per the docs).
  return randomBytes(96).toString("base64url");
}

function forgetAccount(db: Db, appid: string): void {
  const c = cache(db);
  for (const [k, v] of c) if (v.appid === appid) c.delete(k);
}

async function insertToken(trx: Tx, row: AccessTokenTable): Promise<void> {
  await trx.insertInto("access_tokens").values(row).execute();
}

/**
 * Token issuance for one account runs one at a time in this process: concurrent transactions
 * that each end "the previous" token would otherwise both leave a current token behind, and on
 * PostgreSQL their crossing updates can deadlock (answered as -1).
 */
const issuing = new Map<string, Promise<unknown>>();

function oneAtATime<T>(appid: string, fn: () => Promise<T>): Promise<T> {
  const prev = issuing.get(appid) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => {});
  issuing.set(appid, tail);
  void tail.then(() => {
    if (issuing.get(appid) === tail) issuing.delete(appid);
  });
  return run;
}

/** /cgi-bin/token: a new token; the previous one works for `tokenOverlapSeconds` more. */
export function issueBasicToken(w: World, appid: string, p: Policies): Promise<IssuedToken> {
  return oneAtATime(appid, () => issueBasicTokenNow(w, appid, p));
}

async function issueBasicTokenNow(w: World, appid: string, p: Policies): Promise<IssuedToken> {
  const now = w.clock.now();
  const token = newTokenValue();
  await w.db.transaction().execute(async (trx) => {
    // Only the immediate predecessor keeps its overlap; older ones still inside theirs end now.
    await trx
      .updateTable("access_tokens")
      .set({ valid_until: now })
      .where("appid", "=", appid)
      .where("kind", "=", "basic")
      .where("valid_until", ">", now)
      .execute();
    await trx
      .updateTable("access_tokens")
      .set({ valid_until: now + p.tokenOverlapSeconds * 1000 })
      .where("appid", "=", appid)
      .where("kind", "=", "basic")
      .where("valid_until", "is", null)
      .execute();
    await insertToken(trx, {
      token,
      appid,
      kind: "basic",
      issued_at: now,
      expires_at: now + p.tokenTtlSeconds * 1000,
      valid_until: null,
      forced: 0,
    });
  });
  forgetAccount(w.db, appid);
  return { access_token: token, expires_in: p.tokenTtlSeconds };
}

/** /cgi-bin/stable_token. */
export function issueStableToken(w: World, appid: string, force: boolean, p: Policies): Promise<IssuedToken> {
  return oneAtATime(`${appid}/stable`, () => issueStableTokenNow(w, appid, force, p));
}

async function issueStableTokenNow(
  w: World,
  appid: string,
  force: boolean,
  p: Policies,
): Promise<IssuedToken> {
  const now = w.clock.now();
  const renewWindow = p.tokenOverlapSeconds * 1000;
  const result = await w.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("access_tokens")
      .selectAll()
      .where("appid", "=", appid)
      .where("kind", "=", "stable")
      .where("valid_until", "is", null)
      .orderBy("issued_at", "desc")
      .executeTakeFirst();
    const live = current && current.expires_at > now ? current : undefined;
    const answer = (t: AccessTokenTable): IssuedToken => ({
      access_token: t.token,
      expires_in: Math.floor((t.expires_at - now) / 1000),
    });
    let forced = false;
    if (force) {
      const dayStart = cstDay(now) * 86_400_000 - 8 * 3_600_000;
      const forcedToday = await trx
        .selectFrom("access_tokens")
        .select(["issued_at"])
        .where("appid", "=", appid)
        .where("kind", "=", "stable")
        .where("forced", "=", 1)
        .where("issued_at", ">=", dayStart)
        .orderBy("issued_at", "desc")
        .execute();
      const last = forcedToday[0]?.issued_at ?? Number.NEGATIVE_INFINITY;
      const limited =
        forcedToday.length >= p.stableForceRefreshPerDay ||
        now - last < p.stableForceRefreshMinIntervalSeconds * 1000;
      // Over the limits "it will not refresh": the current token comes back unchanged.
      if (limited && live) return answer(live);
      forced = !limited;
    } else if (live && live.expires_at - now > renewWindow) {
      return answer(live);
    }
    if (current) {
      // Normal renewal: the old token lives to its natural end (≥ 300 s from any answer).
      // Forced renewal: it ends after the grace period (default: at once).
      const until = forced ? now + p.stableForceRefreshGraceSeconds * 1000 : current.expires_at;
      await trx
        .updateTable("access_tokens")
        .set({ valid_until: until })
        .where("token", "=", current.token)
        .execute();
    }
    const row: AccessTokenTable = {
      token: newTokenValue(),
      appid,
      kind: "stable",
      issued_at: now,
      expires_at: now + p.tokenTtlSeconds * 1000,
      valid_until: null,
      forced: forced ? 1 : 0,
    };
    await insertToken(trx, row);
    return answer(row);
  });
  forgetAccount(w.db, appid);
  return result;
}

/**
 * access_token → account. Order (basics.md §3.3): missing → 41001; malformed → 40014 (policy);
 * unknown or superseded past its overlap → 40001; past its lifetime → 42001.
 */
export async function authenticate(
  w: Pick<World, "db" | "clock">,
  token: string | undefined,
  p: Policies,
): Promise<Account> {
  if (token === undefined || token === "") throw new WechatApiError(41001);
  if (!WELL_FORMED.test(token)) throw new WechatApiError(p.malformedTokenCode);
  const c = cache(w.db);
  let row = c.get(token);
  if (!row) {
    row = await w.db.selectFrom("access_tokens").selectAll().where("token", "=", token).executeTakeFirst();
    if (!row) throw new WechatApiError(40001);
    c.set(token, row);
  }
  const now = w.clock.now();
  const owned = (code: number) => {
    const err = new WechatApiError(code);
    err.ownerAppid = row.appid;
    return err;
  };
  if (row.valid_until !== null && now >= row.valid_until) throw owned(40001);
  if (now >= row.expires_at) throw owned(42001);
  const account = await getAccount(w.db, row.appid);
  if (!account) throw new WechatApiError(40001);
  return account;
}

/** Delete tokens that ended more than two days ago (they answer 40001 either way). */
export async function pruneTokens(db: Db, now: number): Promise<void> {
  const cutoff = now - 2 * 86_400_000;
  await db.deleteFrom("access_tokens").where("expires_at", "<", cutoff).execute();
}

/** Tokens of an account, newest first, for the simulator API (values included). */
export async function listTokens(db: Db, appid: string): Promise<AccessTokenTable[]> {
  return db
    .selectFrom("access_tokens")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("issued_at", "desc")
    .limit(50)
    .execute();
}
