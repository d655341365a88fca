/**
 * Bulk seeding of followers for tests and benchmarks: users, follow rows and UnionIDs written with
 * multi-row inserts in large transactions — a million followers in seconds, where the follow API
 * (one transaction and one event each) would take minutes. No events are emitted: nothing is pushed
 * to the developer's server. OpenIDs and UnionIDs are derived exactly as a follow derives them.
 */
import type { World } from "../../world.js";
import type { Account } from "../accounts/types.js";
import { openidFor, unionidFor } from "../users/ids.js";

export interface SeedFollowersOptions {
  count: number;
  /** User ids are `${userPrefix}${i}`; default `seed`. Existing users are left as they are. */
  userPrefix?: string;
  /** First index (default 0), to seed more later. */
  start?: number;
  /** subscribe_scene of every follow (default ADD_SCENE_OTHERS). */
  scene?: string;
  /** Rows per INSERT statement (default 1000) and per transaction (default 50 000). */
  rowsPerInsert?: number;
  rowsPerTransaction?: number;
}

/** Seed `count` followers of `account`; answers their OpenIDs in follow order. */
export async function seedFollowers(
  w: World,
  account: Account,
  opts: SeedFollowersOptions,
): Promise<string[]> {
  const prefix = opts.userPrefix ?? "seed";
  const start = opts.start ?? 0;
  const perInsert = opts.rowsPerInsert ?? 1000;
  const perTx = opts.rowsPerTransaction ?? 50_000;
  const now = w.clock.now();
  const scene = opts.scene ?? "ADD_SCENE_OTHERS";
  const op = account.openPlatformId;
  const openids: string[] = [];
  for (let txStart = 0; txStart < opts.count; txStart += perTx) {
    const txEnd = Math.min(opts.count, txStart + perTx);
    await w.db.transaction().execute(async (trx) => {
      for (let from = txStart; from < txEnd; from += perInsert) {
        const to = Math.min(txEnd, from + perInsert);
        const users = [];
        const follows = [];
        const unionids = [];
        for (let i = from; i < to; i++) {
          const id = `${prefix}${start + i}`;
          const openid = openidFor(account.appid, id);
          openids.push(openid);
          // Follow order = index order: one millisecond apart, the last one now.
          const time = now - (opts.count - i);
          users.push({
            id,
            nickname: id,
            avatar_url: "",
            sex: 0,
            language: "zh_CN",
            country: "",
            province: "",
            city: "",
            created_at: time,
          });
          follows.push({
            appid: account.appid,
            user_id: id,
            openid,
            subscribed: 1,
            subscribe_time: time,
            subscribe_scene: scene,
            qr_scene: 0,
            qr_scene_str: "",
            unsubscribe_time: null,
            created_at: time,
          });
          if (op) unionids.push({ open_platform_id: op, user_id: id, unionid: unionidFor(op, id) });
        }
        await trx
          .insertInto("users")
          .values(users)
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
        await trx.insertInto("follows").values(follows).execute();
        if (unionids.length > 0) {
          await trx
            .insertInto("unionids")
            .values(unionids)
            .onConflict((oc) => oc.columns(["open_platform_id", "user_id"]).doNothing())
            .execute();
        }
      }
    });
  }
  return openids;
}
