/**
 * The recipients of a running job, one page after the cursor at a time, in OpenID order (the
 * `follows` index of the account): every follower, a tag's members, or the OpenIDs of the list;
 * and the followers of a service account who already received their monthly mass messages.
 */
import type { Db } from "../../db/schema.js";
import type { MassJobTable } from "./tables.js";

export interface Candidate {
  user_id: string;
  openid: string;
  subscribed: number;
  blacklisted: number;
  subscribe_time: number;
  unsubscribe_time: number | null;
}

const COLUMNS = [
  "user_id",
  "openid",
  "subscribed",
  "blacklisted",
  "subscribe_time",
  "unsubscribe_time",
] as const;

/** A follower of the account when the job was submitted (all and tag scopes; a list takes its OpenIDs). */
export function wasFollower(c: Candidate, snapshot: number): boolean {
  return c.subscribe_time <= snapshot && (c.subscribed === 1 || (c.unsubscribe_time ?? 0) > snapshot);
}

/** Binary search: the first index of `sorted` whose value is > `after`. */
function firstAfter(sorted: readonly string[], after: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? "") > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The next `limit` candidates after `job.cursor`, and the cursor after them (the last OpenID
 * examined; for lists, OpenIDs without a follow row still move it).
 */
export async function nextCandidates(
  db: Db,
  job: MassJobTable,
  list: readonly string[] | null,
  limit: number,
): Promise<{ rows: Candidate[]; cursor: string; listed: number }> {
  if (job.scope === "list" && list) {
    const at = firstAfter(list, job.cursor);
    const part = list.slice(at, at + limit);
    if (part.length === 0) return { rows: [], cursor: job.cursor, listed: 0 };
    const rows = await db
      .selectFrom("follows")
      .select(COLUMNS)
      .where("appid", "=", job.appid)
      .where("openid", "in", part)
      .orderBy("openid")
      .execute();
    return { rows, cursor: part.at(-1) ?? job.cursor, listed: part.length };
  }
  const rows =
    job.scope === "tag"
      ? await db
          .selectFrom("user_tag_members as m")
          .innerJoin("follows as f", (j) =>
            j.onRef("f.openid", "=", "m.openid").onRef("f.appid", "=", "m.appid"),
          )
          .select(COLUMNS.map((c) => `f.${c}` as const))
          .where("m.appid", "=", job.appid)
          .where("m.tag_id", "=", job.tag_id ?? -1)
          .where("m.openid", ">", job.cursor)
          .orderBy("m.openid")
          .limit(limit)
          .execute()
      : await db
          .selectFrom("follows")
          .select(COLUMNS)
          .where("appid", "=", job.appid)
          .where("openid", ">", job.cursor)
          .orderBy("openid")
          .limit(limit)
          .execute();
  return { rows, cursor: rows.at(-1)?.openid ?? job.cursor, listed: rows.length };
}

/** Start (ms) of the China-time month of `ms`. */
export function cstMonthStart(ms: number): number {
  const d = new Date(ms + 8 * 3600 * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - 8 * 3600 * 1000;
}

/** Users among `userIds` who received at least `cap` mass messages from the account since `since` (ms). */
export async function cappedUsers(
  db: Db,
  appid: string,
  userIds: readonly string[],
  since: number,
  cap: number,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  // Message ids start with their 13-digit creation time: a range on the conversation index.
  const fromId = `m${String(Math.max(0, since)).padStart(13, "0")}`;
  const rows = await db
    .selectFrom("messages")
    .select(["user_id", (eb) => eb.fn.countAll().as("n")])
    .where("appid", "=", appid)
    .where("user_id", "in", userIds)
    .where("id", ">=", fromId)
    .where("kind", "=", "mass")
    .groupBy("user_id")
    .execute();
  return new Set(rows.filter((r) => Number(r.n) >= cap).map((r) => r.user_id));
}
