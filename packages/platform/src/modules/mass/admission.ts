/**
 * Whether a mass send may start (mass-send.md §4 steps 2, 4–6; §9; §10): the per-minute call limit
 * (45011), the idempotency key (45067 too long, 45066 repeated within a minute, 45065 within 24 h —
 * answering the first job's msg_id), the administrator's agreement (48003), and the frequency
 * limits by account type on the platform clock in China-time days and months (45028, 45009).
 */
import { createHash } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { cstDay, cstMonth } from "../../clock.js";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import { countJobs, latestWithKey } from "./jobs.js";
import type { MassPolicy } from "./policy.js";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;
const MAX_CLIENT_MSG_ID_BYTES = 64;

/** Mass-API calls per account in the last minute (platform clock), in memory. */
export class MinuteWindow {
  private readonly calls = new Map<string, number[]>();

  /** Count one call; throws 45011 when the account made `limit` calls in the last 60 s. */
  take(appid: string, now: number, limit: number): void {
    const recent = (this.calls.get(appid) ?? []).filter((t) => t > now - MINUTE_MS && t <= now);
    if (recent.length >= limit) {
      this.calls.set(appid, recent);
      throw new WechatApiError(ErrorCode.ApiMinuteQuotaReached);
    }
    recent.push(now);
    this.calls.set(appid, recent);
  }

  clear(): void {
    this.calls.clear();
  }
}

/** The job's idempotency key: the clientmsgid, or a digest of scope and content (§10). */
export function clientKey(clientmsgid: unknown, scope: string, content: string, policy: MassPolicy): string {
  if (typeof clientmsgid === "string" && clientmsgid !== "") {
    if (Buffer.byteLength(clientmsgid) > MAX_CLIENT_MSG_ID_BYTES)
      throw new WechatApiError(ErrorCode.ClientMsgIdSizeOutOfLimit);
    return `id:${clientmsgid}`;
  }
  const digest = createHash("sha1").update(scope).update("\n").update(content).digest("hex");
  // Without the digest rule every keyless send is new: a key no other job has.
  return policy.digestKeyWithoutClientMsgId ? `sha1:${digest}` : `once:${digest}:${Math.random()}`;
}

/** 45066 when the same key was used within a minute, 45065 (with its msg_id) within 24 hours. */
export async function checkKey(db: Db, appid: string, key: string, now: number): Promise<void> {
  const last = await latestWithKey(db, appid, key);
  if (!last || last.created_at <= now - DAY_MS) return;
  if (last.created_at > now - MINUTE_MS) throw new WechatApiError(ErrorCode.ClientMsgIdRetryTooFast);
  throw new WechatApiError(ErrorCode.ClientMsgIdExists, undefined, { msg_id: Number(last.msg_id) });
}

/** §9.3: the account's frequency limits for a new sendall/send. */
export async function checkQuota(
  db: Db,
  account: Account,
  toAll: boolean,
  now: number,
  policy: MassPolicy,
): Promise<void> {
  if (!policy.agreementAccepted) throw new WechatApiError(ErrorCode.MassSendProtocolNotAgreed);
  const day = { day: cstDay(now) };
  const sends = ["sendall", "send"];
  const noQuota = () => new WechatApiError(ErrorCode.NoMassSendQuota);
  if (account.type === "subscription") {
    if ((await countJobs(db, account.appid, day, { kinds: sends, live: true })) >= policy.subscriptionPerDay)
      throw noQuota();
    return;
  }
  if ((await countJobs(db, account.appid, day, { kinds: sends })) >= policy.serviceCallsPerDay)
    throw new WechatApiError(ErrorCode.ApiDailyQuotaReached);
  if (!toAll) return;
  const toAllLive = { kinds: ["sendall"], live: true, toAll: true };
  if ((await countJobs(db, account.appid, day, toAllLive)) >= policy.serviceToAllPerDay) throw noQuota();
  if (
    (await countJobs(db, account.appid, { month: cstMonth(now) }, toAllLive)) >= policy.serviceToAllPerMonth
  )
    throw noQuota();
}

/** Previews by WeChat ID: 100 a day (45009). */
export async function checkPreviewQuota(
  db: Db,
  appid: string,
  now: number,
  policy: MassPolicy,
): Promise<void> {
  const n = await countJobs(db, appid, { day: cstDay(now) }, { kinds: ["preview"], byWxname: true });
  if (n >= policy.previewsByWxnamePerDay) throw new WechatApiError(ErrorCode.ApiDailyQuotaReached);
}
