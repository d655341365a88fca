/**
 * Short keys (shorten/gen + shorten/fetch, qrcode-shorturl.md §5–§6): text stored per account under
 * a 15-character base62 key, expiring by the platform clock. An expired key, or another account's,
 * is answered as non-existent (9410012).
 */
import { randomInt } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { MAX_EXPIRE_SECONDS } from "./store.js";

const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MAX_LONG_DATA_BYTES = 4096;

function newShortKey(): string {
  let s = "";
  for (let i = 0; i < 15; i++) s += BASE62[randomInt(BASE62.length)];
  return s;
}

export async function genShortKey(
  w: World,
  appid: string,
  longData: string,
  expireSeconds: number | undefined,
): Promise<string> {
  if (longData === "") throw new WechatApiError(ErrorCode.ArgumentInvalid);
  if (Buffer.byteLength(longData, "utf8") > MAX_LONG_DATA_BYTES)
    throw new WechatApiError(ErrorCode.LongDataTooLong);
  const seconds = expireSeconds ?? MAX_EXPIRE_SECONDS;
  if (seconds > MAX_EXPIRE_SECONDS) throw new WechatApiError(ErrorCode.ExpireSecondsTooLarge);
  if (seconds < 1) throw new WechatApiError(ErrorCode.ArgumentInvalid);
  const now = w.clock.now();
  const key = newShortKey();
  await w.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("short_keys").where("expire_at", "<", now).execute();
    await trx
      .insertInto("short_keys")
      .values({
        short_key: key,
        appid,
        long_data: longData,
        created_at: now,
        expire_at: now + seconds * 1000,
      })
      .execute();
  });
  return key;
}

export async function fetchShortKey(db: Db, appid: string, key: string, now: number) {
  const r = await db
    .selectFrom("short_keys")
    .selectAll()
    .where("short_key", "=", key)
    .where("appid", "=", appid)
    .executeTakeFirst();
  if (!r || Number(r.expire_at) <= now) throw new WechatApiError(ErrorCode.ShortKeyNotExist);
  return {
    long_data: r.long_data,
    create_time: Math.floor(Number(r.created_at) / 1000),
    expire_seconds: Math.max(0, Math.floor((Number(r.expire_at) - now) / 1000)),
  };
}
