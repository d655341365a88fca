/** Per-account sequences (`user_counters`): ids are handed out once and never reused. */
import { sql } from "kysely";
import type { DbOrTx } from "../../db/schema.js";

/** Custom tag and group ids start here (doc examples show ids ≥ 100; users.md §3, emulator choice). */
export const FIRST_CUSTOM_ID = 100;

type Counter = "next_tag_id" | "next_group_id" | "next_member_seq";

/** Reserve `n` consecutive values of a counter; answers the first. Atomic on both databases. */
export async function nextCounter(db: DbOrTx, appid: string, counter: Counter, n = 1): Promise<number> {
  await db
    .insertInto("user_counters")
    .values({ appid, next_tag_id: FIRST_CUSTOM_ID, next_group_id: FIRST_CUSTOM_ID, next_member_seq: 1 })
    .onConflict((oc) => oc.column("appid").doNothing())
    .execute();
  const col = sql.ref(counter);
  const r = await sql<{ v: number | string }>`update user_counters set ${col} = ${col} + ${n}
    where appid = ${appid} returning ${col} as v`.execute(db);
  const after = Number(r.rows[0]?.v);
  if (!Number.isFinite(after)) throw new Error(`counter ${counter} of ${appid} missing`);
  return after - n;
}
