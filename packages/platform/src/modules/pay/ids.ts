/**
 * Identifiers and times in WeChat Pay's shapes: transaction ids (28 digits), prepay ids, refund ids,
 * merchant ids derived from the appid (the same config gives the same mch_id everywhere), random
 * keys and nonces, and Beijing-time stamps (`yyyyMMddHHmmss` for v2, RFC 3339 `+08:00` for v3).
 */
import { createHash, randomBytes, randomInt } from "node:crypto";

const CST_MS = 8 * 3600 * 1000;

/** `yyyyMMddHHmmss` in Beijing time (v2 time_end, time_start, time_expire). */
export function cstCompact(ms: number): string {
  return new Date(ms + CST_MS).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** RFC 3339 in Beijing time: `2024-01-01T12:00:00+08:00` (v3 success_time, time_expire, create_time). */
export function cstRfc3339(ms: number): string {
  return `${new Date(ms + CST_MS).toISOString().slice(0, 19)}+08:00`;
}

/** `yyyyMMddHHmmss` (Beijing) → ms, or null when malformed. */
export function parseCstCompact(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - CST_MS;
  return cstCompact(ms) === s ? ms : null;
}

/** An RFC 3339 time with an offset → ms, or null. */
export function parseRfc3339(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

function digits(n: number): string {
  let s = "";
  while (s.length < n) s += String(randomInt(0, 1_000_000_000)).padStart(9, "0");
  return s.slice(0, n);
}

export const newTransactionId = (ms: number) => `42000${cstCompact(ms).slice(0, 8)}${digits(15)}`;
export const newPrepayId = (ms: number) => `wx${cstCompact(ms)}${randomBytes(10).toString("hex")}`;
export const newRefundId = () => `5030${digits(25)}`;
export const newNotificationId = (ms: number) => `EV-${cstCompact(ms)}${digits(10)}`;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = "";
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return s;
}

/** The merchant id of an account: 10 digits derived from the appid. */
export function mchIdFor(appid: string): string {
  const h = createHash("sha256").update(`mpstack-mch:${appid}`).digest();
  return `1${String(h.readUInt32BE(0) % 1_000_000_000).padStart(9, "0")}`;
}
