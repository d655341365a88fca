/** WeChat Pay v2 signature (spec/applied-features.md §1.2). */
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "./signature.js";

export type PaySignType = "MD5" | "HMAC-SHA256";

export type PayParams = Record<string, string | number | undefined | null>;

/** `stringSignTemp`: non-empty parameters except `sign`, sorted by name (ASCII), `k=v&…`, then `&key=KEY`. */
export function payStringToSign(params: PayParams, key: string): string {
  const parts: string[] = [];
  for (const name of Object.keys(params).sort()) {
    if (name === "sign") continue;
    const value = params[name];
    if (value === undefined || value === null || value === "") continue;
    parts.push(`${name}=${value}`);
  }
  parts.push(`key=${key}`);
  return parts.join("&");
}

/** v2 `sign` / `paySign`: upper-case hex MD5 (default) or HMAC-SHA256 keyed with the API key. */
export function paySign(params: PayParams, key: string, signType: PaySignType = "MD5"): string {
  const text = payStringToSign(params, key);
  const digest =
    signType === "HMAC-SHA256"
      ? createHmac("sha256", key).update(text, "utf8").digest("hex")
      : createHash("md5").update(text, "utf8").digest("hex");
  return digest.toUpperCase();
}

/** Checks `params.sign` (every received field takes part, as the spec requires) in constant time. */
export function verifyPaySign(params: PayParams, key: string, signType: PaySignType = "MD5"): boolean {
  const sign = params.sign;
  if (typeof sign !== "string" || sign === "") return false;
  return safeEqual(paySign(params, key, signType), sign);
}
