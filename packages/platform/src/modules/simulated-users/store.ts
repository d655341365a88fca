/**
 * Simulated WeChat users (global people) and their relation to accounts: one `follows` row per
 * (account, user) holding the OpenID and the follow state; one `unionids` row per (open
 * platform, user). Follow/unfollow change the state in one transaction, then emit events.
 */

import type { Account } from "../../account.js";
import type { Db, DbOrTx, Tx } from "../../db/schema.js";
import { notFound } from "../../http/simulator.js";
import type { World } from "../../world.js";
import type { UserConfig } from "./config.js";
import { openidFor, unionidFor } from "./ids.js";
import type { FollowTable, UserTable } from "./tables.js";

/** A simulated person: the config's fields and when they were created. */
export interface User extends UserConfig {
  createdAt: number;
}

export type FollowRow = FollowTable;

function userFromRow(r: UserTable): User {
  return {
    id: r.id,
    nickname: r.nickname,
    avatarUrl: r.avatar_url,
    sex: r.sex,
    language: r.language,
    country: r.country,
    province: r.province,
    city: r.city,
    createdAt: r.created_at,
  };
}

export async function upsertUser(w: World, u: UserConfig): Promise<User> {
  const values = {
    nickname: u.nickname,
    avatar_url: u.avatarUrl,
    sex: u.sex,
    language: u.language,
    country: u.country,
    province: u.province,
    city: u.city,
  };
  await w.db
    .insertInto("users")
    .values({ id: u.id, ...values, created_at: w.clock.now() })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
  const saved = await getUser(w.db, u.id);
  if (!saved) throw new Error(`user ${u.id} vanished`);
  return saved;
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const r = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? userFromRow(r) : undefined;
}

/** For simulator routes: the user, or a 404 `user … not found`. */
export async function requireUser(db: Db, id: string): Promise<User> {
  const u = await getUser(db, id);
  if (!u) throw notFound(`user ${id}`);
  return u;
}

export async function listUsers(db: Db, opts: { after?: string; limit?: number } = {}): Promise<User[]> {
  let q = db
    .selectFrom("users")
    .selectAll()
    .orderBy("id")
    .limit(Math.min(opts.limit ?? 100, 1000));
  if (opts.after) q = q.where("id", ">", opts.after);
  return (await q.execute()).map(userFromRow);
}

async function ensureRow(trx: Tx, account: Account, userId: string, now: number): Promise<FollowRow> {
  const existing = await trx
    .selectFrom("follows")
    .selectAll()
    .where("appid", "=", account.appid)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (existing) return existing;
  const row: FollowRow = {
    appid: account.appid,
    user_id: userId,
    openid: openidFor(account.appid, userId),
    subscribed: 0,
    subscribe_time: 0,
    subscribe_scene: "",
    qr_scene: 0,
    qr_scene_str: "",
    unsubscribe_time: null,
    created_at: now,
    remark: "",
    blacklisted: 0,
    blacklisted_at: null,
    groupid: 0,
  };
  await trx.insertInto("follows").values(row).execute();
  return row;
}

async function ensureUnionid(trx: Tx, openPlatformId: string, userId: string): Promise<string> {
  const unionid = unionidFor(openPlatformId, userId);
  await trx
    .insertInto("unionids")
    .values({ open_platform_id: openPlatformId, user_id: userId, unionid })
    .onConflict((oc) => oc.columns(["open_platform_id", "user_id"]).doNothing())
    .execute();
  return unionid;
}

/**
 * The user's OpenID in this account, created on first contact (follow, or OAuth without a
 * follow — an OpenID exists for non-followers too). Never changes afterwards.
 */
export async function ensureIdentity(w: World, account: Account, userId: string): Promise<FollowRow> {
  return w.db.transaction().execute(async (trx) => {
    const row = await ensureRow(trx, account, userId, w.clock.now());
    if (account.openPlatformId) await ensureUnionid(trx, account.openPlatformId, userId);
    return row;
  });
}

/** The UnionID of a user for this account, or null when the account has no open platform. */
export async function unionidOf(w: World, account: Account, userId: string): Promise<string | null> {
  if (!account.openPlatformId) return null;
  const opId = account.openPlatformId;
  return w.db.transaction().execute((trx) => ensureUnionid(trx, opId, userId));
}

export interface FollowOptions {
  /** subscribe_scene (users.md §6.2); default ADD_SCENE_OTHERS. */
  scene?: string;
  qrScene?: number;
  qrSceneStr?: string;
  /** The QR code's ticket when the follow came from scanning one (pushed as `Ticket`). */
  ticket?: string;
  /** Don't emit `user.followed` (seeding from config). */
  silent?: boolean;
}

export interface FollowResult {
  openid: string;
  unionid: string | null;
  /** false when the user already followed (nothing changed). */
  changed: boolean;
  /** true when the user had followed before (the OpenID is the old one). */
  refollow: boolean;
  subscribeTime: number;
}

export async function follow(
  w: World,
  account: Account,
  userId: string,
  opts: FollowOptions = {},
): Promise<FollowResult> {
  const now = w.clock.now();
  const scene = opts.scene ?? "ADD_SCENE_OTHERS";
  const result = await w.db.transaction().execute(async (trx) => {
    const row = await ensureRow(trx, account, userId, now);
    const unionid = account.openPlatformId ? await ensureUnionid(trx, account.openPlatformId, userId) : null;
    if (row.subscribed === 1) {
      return {
        openid: row.openid,
        unionid,
        changed: false,
        refollow: false,
        subscribeTime: row.subscribe_time,
      };
    }
    await trx
      .updateTable("follows")
      .set({
        subscribed: 1,
        subscribe_time: now,
        subscribe_scene: scene,
        qr_scene: opts.qrScene ?? 0,
        qr_scene_str: opts.qrSceneStr ?? "",
      })
      .where("appid", "=", account.appid)
      .where("user_id", "=", userId)
      .execute();
    return {
      openid: row.openid,
      unionid,
      changed: true,
      refollow: row.subscribe_time > 0,
      subscribeTime: now,
    };
  });
  if (result.changed && !opts.silent) {
    w.events.emit("user.followed", {
      appid: account.appid,
      userId,
      openid: result.openid,
      scene,
      qrScene: opts.qrScene ?? 0,
      qrSceneStr: opts.qrSceneStr ?? "",
      time: now,
      refollow: result.refollow,
      ...(opts.ticket ? { ticket: opts.ticket } : {}),
    });
  }
  return result;
}

export async function unfollow(
  w: World,
  account: Account,
  userId: string,
  opts: { silent?: boolean } = {},
): Promise<{ openid: string | null; changed: boolean }> {
  const now = w.clock.now();
  const result = await w.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("follows")
      .selectAll()
      .where("appid", "=", account.appid)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!row || row.subscribed === 0) return { openid: row?.openid ?? null, changed: false };
    await trx
      .updateTable("follows")
      .set({ subscribed: 0, unsubscribe_time: now })
      .where("appid", "=", account.appid)
      .where("user_id", "=", userId)
      .execute();
    return { openid: row.openid, changed: true };
  });
  if (result.changed && result.openid && !opts.silent) {
    w.events.emit("user.unfollowed", { appid: account.appid, userId, openid: result.openid, time: now });
  }
  return result;
}

export async function findByOpenid(db: Db, appid: string, openid: string): Promise<FollowRow | undefined> {
  return db
    .selectFrom("follows")
    .selectAll()
    .where("openid", "=", openid)
    .where("appid", "=", appid)
    .executeTakeFirst();
}

export async function getFollow(db: Db, appid: string, userId: string): Promise<FollowRow | undefined> {
  return db
    .selectFrom("follows")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function followsOfUser(db: Db, userId: string): Promise<FollowRow[]> {
  return db.selectFrom("follows").selectAll().where("user_id", "=", userId).orderBy("appid").execute();
}

/** An account's users in OpenID order (followers only unless `all`), for lists and paging. */
export async function followersOf(
  db: Db,
  appid: string,
  opts: { after?: string; limit?: number; all?: boolean } = {},
): Promise<FollowRow[]> {
  let q = db.selectFrom("follows").selectAll().where("appid", "=", appid);
  if (!opts.all) q = q.where("subscribed", "=", 1);
  if (opts.after) q = q.where("openid", ">", opts.after);
  return q
    .orderBy("openid")
    .limit(Math.min(opts.limit ?? 100, 10_000))
    .execute();
}

async function countFollowersUncached(db: Db, appid: string): Promise<number> {
  const r = await db
    .selectFrom("follows")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("appid", "=", appid)
    .where("subscribed", "=", 1)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Follower counts by account, kept in memory: counting a million index entries costs ~100 ms and
 * user/get answers `total` on every page. Dropped on every follow/unfollow of the account, on seeding
 * and when the world is replaced (see the module's event listeners); `version` keeps a count that
 * raced with a change from being stored.
 */
interface CountCache {
  counts: Map<string, number>;
  versions: Map<string, number>;
}
const countCaches = new WeakMap<Db, CountCache>();
function countCache(db: Db): CountCache {
  let c = countCaches.get(db);
  if (!c) {
    c = { counts: new Map(), versions: new Map() };
    countCaches.set(db, c);
  }
  return c;
}

/** Forget the cached follower count of one account (or of all when `appid` is omitted). */
export function forgetFollowerCount(db: Db, appid?: string): void {
  const c = countCache(db);
  if (appid === undefined) {
    c.counts.clear();
    for (const k of c.versions.keys()) c.versions.set(k, (c.versions.get(k) ?? 0) + 1);
    return;
  }
  c.counts.delete(appid);
  c.versions.set(appid, (c.versions.get(appid) ?? 0) + 1);
}

export async function countFollowers(db: Db, appid: string): Promise<number> {
  const c = countCache(db);
  const cached = c.counts.get(appid);
  if (cached !== undefined) return cached;
  const version = c.versions.get(appid) ?? 0;
  const n = await countFollowersUncached(db, appid);
  if ((c.versions.get(appid) ?? 0) === version) c.counts.set(appid, n);
  return n;
}

export function userView(u: User) {
  return { ...u };
}

export function followView(f: FollowRow, unionid: string | null) {
  return {
    appid: f.appid,
    user: f.user_id,
    openid: f.openid,
    unionid,
    subscribed: f.subscribed === 1,
    subscribeTime: f.subscribe_time > 0 ? Math.floor(f.subscribe_time / 1000) : 0,
    subscribeScene: f.subscribe_scene,
    qrScene: f.qr_scene,
    qrSceneStr: f.qr_scene_str,
    unsubscribeTime: f.unsubscribe_time === null ? null : Math.floor(f.unsubscribe_time / 1000),
    remark: f.remark,
    blacklisted: f.blacklisted === 1,
  };
}

/** The account's own notes on its followers, which WeChat's user API and groups API write. */
export type FollowNotes = Partial<Pick<FollowTable, "remark" | "blacklisted" | "blacklisted_at" | "groupid">>;

/**
 * Write notes on the account's follow rows: those of `openids`, or every row in legacy group
 * `inGroup`. (The followers and follower-tags modules write these columns only through here.)
 */
export async function setFollowNotes(
  db: DbOrTx,
  appid: string,
  rows: { openids: readonly string[] } | { inGroup: number },
  notes: FollowNotes,
): Promise<void> {
  let q = db.updateTable("follows").set(notes).where("appid", "=", appid);
  if ("inGroup" in rows) q = q.where("groupid", "=", rows.inGroup);
  else if (rows.openids.length === 0) return;
  else q = q.where("openid", "in", rows.openids);
  await q.execute();
}
