/**
 * Remarks, user info, the follower list and the blacklist (users.md §5–8) over the `follows` rows.
 * user/info is two indexed lookups (the follow row joined with its user and UnionID; the user's
 * tags); the follower list and the blacklist page on indexes by key (never OFFSET).
 */
import { ErrorCode, isXmlText } from "@mpstack/protocol";
import { sql } from "kysely";
import type { Account } from "../../account.js";
import { compiledRead } from "../../db/open.js";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import type { KnownOpenid } from "../follower-tags/index.js";
import { countFollowers, setFollowNotes } from "../simulated-users/index.js";

/** user/get page size (documented). */
export const FOLLOWERS_PAGE = 10_000;
/** Openids per batchblacklist/batchunblacklist call ("一次只能拉黑20个用户"). */
export const MAX_BLACKLIST_BATCH = 20;
/** Users per user/info/batchget call. */
export const MAX_INFO_BATCH = 100;

/**
 * user/info of a follower (users.md §6.1, today's field set — none of the fields removed in 2021),
 * or `{subscribe: 0, openid}` for a user who does not follow.
 */
export interface UserInfo {
  subscribe: number;
  openid: string;
  language?: string;
  subscribe_time?: number;
  unionid?: string;
  remark?: string;
  groupid?: number;
  tagid_list?: number[];
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
}

/** A follow row with its user's language, UnionID and one of its tags (one row per tag, or one with none). */
interface InfoRow {
  appid: string;
  openid: string;
  subscribed: number;
  subscribe_time: number | string;
  subscribe_scene: string;
  qr_scene: number;
  qr_scene_str: string;
  remark: string;
  groupid: number;
  language: string | null;
  unionid: string | null;
  tag_id: number | null;
}

/**
 * One lookup on the OpenID index joined with the user (language), the UnionID (when the account has
 * an open platform; "" matches none) and the tags, in tagging order. Plain SQL for the platform's
 * hottest read; this shape prepares ~3× cheaper than one with a string_agg subquery, and one
 * statement beats two round trips.
 */
function infoQuery(openPlatformId: string, openids: readonly string[]) {
  return sql<InfoRow>`select f.appid, f.openid, f.subscribed, f.subscribe_time, f.subscribe_scene, f.qr_scene,
    f.qr_scene_str, f.remark, f.groupid, u.language, un.unionid, m.tag_id
    from follows f
    left join users u on u.id = f.user_id
    left join unionids un on un.user_id = f.user_id and un.open_platform_id = ${openPlatformId}
    left join user_tag_members m on m.appid = f.appid and m.openid = f.openid
    where f.openid in (${sql.join(openids)})
    order by f.openid, m.seq`;
}

/** The one-OpenID form compiled once per database (no query building per call). */
const singleReads = new WeakMap<Db, (parameters: readonly unknown[]) => Promise<InfoRow[]>>();

async function infoRows(db: Db, account: Account, openids: readonly string[]): Promise<InfoRow[]> {
  const op = account.openPlatformId ?? "";
  if (openids.length !== 1) return (await infoQuery(op, openids).execute(db)).rows;
  let read = singleReads.get(db);
  if (!read) {
    read = compiledRead(db, infoQuery("", [""]).compile(db));
    singleReads.set(db, read);
  }
  return read([op, openids[0]]);
}

/**
 * user/info for each OpenID, in request order. Unknown OpenIDs and OpenIDs of other accounts are
 * 40003 for the whole call.
 */
export async function userInfos(db: Db, account: Account, openids: readonly string[]): Promise<UserInfo[]> {
  const unique = [...new Set(openids)];
  const byOpenid = new Map<string, InfoRow>();
  const tags = new Map<string, number[]>();
  for (const r of await infoRows(db, account, unique)) {
    if (!byOpenid.has(r.openid)) byOpenid.set(r.openid, r);
    if (r.tag_id !== null) tags.set(r.openid, [...(tags.get(r.openid) ?? []), Number(r.tag_id)]);
  }
  return openids.map((openid) => {
    const r = byOpenid.get(openid);
    if (!r || r.appid !== account.appid) throw new WechatApiError(ErrorCode.InvalidOpenId);
    if (Number(r.subscribed) !== 1) return { subscribe: 0, openid };
    return {
      subscribe: 1,
      openid,
      language: r.language ?? "zh_CN",
      subscribe_time: Math.floor(Number(r.subscribe_time) / 1000),
      ...(r.unionid ? { unionid: r.unionid } : {}),
      remark: r.remark,
      groupid: Number(r.groupid),
      tagid_list: tags.get(openid) ?? [],
      subscribe_scene: r.subscribe_scene,
      qr_scene: Number(r.qr_scene),
      qr_scene_str: r.qr_scene_str,
    };
  });
}

/**
 * user/get: the followers after `nextOpenid` in follow order (subscribe_time, then OpenID — users.md
 * §7 emulator choice). `nextOpenid` must be an OpenID of the account (40003); one that has since
 * unfollowed continues after its former place.
 */
export async function followersPage(
  db: Db,
  appid: string,
  nextOpenid: string,
  limit = FOLLOWERS_PAGE,
): Promise<{ total: number; openids: string[] }> {
  let q = db.selectFrom("follows").select("openid").where("appid", "=", appid).where("subscribed", "=", 1);
  if (nextOpenid !== "") {
    const from = await db
      .selectFrom("follows")
      .select(["appid", "subscribe_time"])
      .where("openid", "=", nextOpenid)
      .executeTakeFirst();
    if (!from || from.appid !== appid) throw new WechatApiError(ErrorCode.InvalidOpenId);
    const time = Number(from.subscribe_time);
    // A row-value comparison: both databases walk the index from that key.
    q = q.where((eb) => eb(eb.refTuple("subscribe_time", "openid"), ">", eb.tuple(time, nextOpenid)));
  }
  const [total, rows] = await Promise.all([
    countFollowers(db, appid),
    q.orderBy("subscribe_time").orderBy("openid").limit(limit).execute(),
  ]);
  return { total, openids: rows.map((r) => r.openid) };
}

/** getblacklist: blacklisted users after `begin` in OpenID order, and how many there are. */
export async function blacklistPage(
  db: Db,
  appid: string,
  begin: string,
  /** The `blacklistPageSize` policy. */
  limit: number,
): Promise<{ total: number; openids: string[] }> {
  // The literal `blacklisted = 1` lets both databases use the partial index.
  const blacklisted = sql<boolean>`blacklisted = 1`;
  let q = db.selectFrom("follows").select("openid").where("appid", "=", appid).where(blacklisted);
  if (begin !== "") q = q.where("openid", ">", begin);
  const [n, rows] = await Promise.all([
    db
      .selectFrom("follows")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("appid", "=", appid)
      .where(blacklisted)
      .executeTakeFirst(),
    q.orderBy("openid").limit(limit).execute(),
  ]);
  return { total: Number(n?.n ?? 0), openids: rows.map((r) => r.openid) };
}

export async function setBlacklisted(
  w: World,
  appid: string,
  users: readonly KnownOpenid[],
  on: boolean,
): Promise<void> {
  const openids = users.map((u) => u.openid);
  await setFollowNotes(
    w.db,
    appid,
    { openids },
    on ? { blacklisted: 1, blacklisted_at: w.clock.now() } : { blacklisted: 0 },
  );
}

/** Has the account blacklisted this OpenID? (The push module refuses their messages.) */
export async function isBlacklisted(db: Db, appid: string, openid: string): Promise<boolean> {
  const r = await db
    .selectFrom("follows")
    .select("blacklisted")
    .where("openid", "=", openid)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return r?.blacklisted === 1;
}

/**
 * updateremark: 40003 for an OpenID that is not the account's, 43004 when the user does not follow
 * (SDK-observed), 40092 when longer than `maxBytes` UTF-8 bytes (the `remarkMaxBytes` policy) or not
 * valid text.
 */
export async function updateRemark(
  w: World,
  appid: string,
  openid: string,
  remark: string,
  maxBytes: number,
): Promise<void> {
  const r = await w.db
    .selectFrom("follows")
    .select(["appid", "subscribed"])
    .where("openid", "=", openid)
    .executeTakeFirst();
  if (!r || r.appid !== appid) throw new WechatApiError(ErrorCode.InvalidOpenId);
  if (r.subscribed !== 1) throw new WechatApiError(ErrorCode.RequireSubscribe);
  // Invalid text (NUL, control characters, a lone surrogate) is an illegal remark, as on WeChat.
  if (Buffer.byteLength(remark, "utf8") > maxBytes || !isXmlText(remark))
    throw new WechatApiError(ErrorCode.InvalidRemarkName);
  await setFollowNotes(w.db, appid, { openids: [openid] }, { remark });
}
