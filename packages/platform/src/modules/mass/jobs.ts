/**
 * Mass jobs as rows: ids (per-account `msg_id` from 1000000001, `msg_data_id` from 2247483649),
 * creation, lookups, and the counts the frequency limits read (mass-send.md §1.1, §9).
 */
import { cstDay, cstMonth } from "../../clock.js";
import type { Db } from "../../db/schema.js";
import type { MassJobTable } from "./tables.js";

const FIRST_MSG_ID = 1_000_000_001;
const FIRST_DATA_ID = 2_247_483_649;

/** Jobs that count against quotas: sending, sent, or sent and withdrawn (failed ones do not, §9.2). */
export const LIVE_STATUSES = ["SENDING", "SEND_SUCCESS", "DELETE"];

async function settingsRow(db: Db, appid: string) {
  await db
    .insertInto("mass_settings")
    .values({ appid, next_msg_id: FIRST_MSG_ID, next_data_id: FIRST_DATA_ID, speed: 0 })
    .onConflict((oc) => oc.column("appid").doNothing())
    .execute();
}

/** The next msg_id (and msg_data_id for article sends) of the account. */
export async function allocateIds(
  db: Db,
  appid: string,
  withData: boolean,
): Promise<{ msgId: string; dataId: string | null }> {
  await settingsRow(db, appid);
  const row = await db
    .updateTable("mass_settings")
    .set((eb) => ({
      next_msg_id: eb("next_msg_id", "+", 1),
      next_data_id: eb("next_data_id", "+", withData ? 1 : 0),
    }))
    .where("appid", "=", appid)
    .returning(["next_msg_id", "next_data_id"])
    .executeTakeFirstOrThrow();
  return {
    msgId: String(Number(row.next_msg_id) - 1),
    dataId: withData ? String(Number(row.next_data_id) - 1) : null,
  };
}

export async function getSpeed(db: Db, appid: string): Promise<number> {
  const row = await db
    .selectFrom("mass_settings")
    .select("speed")
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row?.speed ?? 0;
}

export async function setSpeed(db: Db, appid: string, speed: number): Promise<void> {
  await settingsRow(db, appid);
  await db.updateTable("mass_settings").set({ speed }).where("appid", "=", appid).execute();
}

export type NewJob = Omit<
  MassJobTable,
  | "total"
  | "skipped"
  | "sent"
  | "errors"
  | "cursor"
  | "day"
  | "month"
  | "deleted"
  | "finished_at"
  | "finish_pushed"
>;

export function jobRow(j: NewJob): MassJobTable {
  return {
    ...j,
    total: 0,
    skipped: 0,
    sent: 0,
    errors: 0,
    cursor: "",
    day: cstDay(j.created_at),
    month: cstMonth(j.created_at),
    deleted: "[]",
    finished_at: null,
    finish_pushed: 0,
  };
}

export async function findJob(db: Db, appid: string, msgId: string): Promise<MassJobTable | undefined> {
  return db
    .selectFrom("mass_jobs")
    .selectAll()
    .where("appid", "=", appid)
    .where("msg_id", "=", msgId)
    .executeTakeFirst();
}

/** The latest job with this idempotency key (sendall/send), if any. */
export async function latestWithKey(db: Db, appid: string, key: string): Promise<MassJobTable | undefined> {
  return db
    .selectFrom("mass_jobs")
    .selectAll()
    .where("appid", "=", appid)
    .where("client_key", "=", key)
    .where("kind", "in", ["sendall", "send"])
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** How many jobs of the account match, on China-time `day` or in `month`. */
export async function countJobs(
  db: Db,
  appid: string,
  when: { day: number } | { month: string },
  filter: { kinds: string[]; live?: boolean; toAll?: boolean; byWxname?: boolean },
): Promise<number> {
  let q = db
    .selectFrom("mass_jobs")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("appid", "=", appid)
    .where("kind", "in", filter.kinds);
  q = "day" in when ? q.where("day", "=", when.day) : q.where("month", "=", when.month);
  if (filter.live) q = q.where("status", "in", LIVE_STATUSES);
  if (filter.toAll) q = q.where("is_to_all", "=", 1);
  if (filter.byWxname) q = q.where("by_wxname", "=", 1);
  const r = await q.executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listJobs(
  db: Db,
  appid: string,
  opts: { before?: string; limit: number },
): Promise<MassJobTable[]> {
  let q = db.selectFrom("mass_jobs").selectAll().where("appid", "=", appid);
  if (opts.before) q = q.where("created_at", "<", Number(opts.before));
  return q.orderBy("created_at", "desc").orderBy("msg_id", "desc").limit(opts.limit).execute();
}
