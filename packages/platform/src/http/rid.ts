/** Request ids shaped like WeChat's: `xxxxxxxx-xxxxxxxx-xxxxxxxx` (seconds, random, counter; hex). */
import { randomBytes } from "node:crypto";

let counter = randomBytes(4).readUInt32BE(0);
const RID = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

export function newRid(nowMs: number): string {
  counter = (counter + 1) >>> 0;
  const seconds = (Math.floor(nowMs / 1000) >>> 0).toString(16).padStart(8, "0");
  return `${seconds}-${randomBytes(4).toString("hex")}-${counter.toString(16).padStart(8, "0")}`;
}

export function isRid(value: string): boolean {
  return RID.test(value);
}
