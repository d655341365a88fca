/**
 * Deterministic defaults derived from an appid (original id, server token, EncodingAESKey), so a
 * config that omits them gives the same values on every start and every machine.
 */
import { createHash } from "node:crypto";

const digest = (label: string, value: string) =>
  createHash("sha256").update(`mpstack:${label}:${value}`).digest();

export function deriveOriginalId(appid: string): string {
  return `gh_${digest("gh", appid).toString("hex").slice(0, 12)}`;
}

export function deriveServerToken(appid: string): string {
  return `tok${digest("token", appid).toString("hex").slice(0, 13)}`;
}

/** 43 base64 characters (no padding), the EncodingAESKey format. */
export function deriveEncodingAESKey(appid: string): string {
  return digest("aes", appid).toString("base64").replace(/[+/]/g, "A").slice(0, 43);
}
