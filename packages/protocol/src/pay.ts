/** WeChat Pay v2: the signature (spec/applied-features.md §1.2) and the refund `req_info` cipher (§1.6). */
import { createCipheriv, createDecipheriv, createHash, createHmac } from "node:crypto";
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

// ---------------------------------------------------------------------------------------------------
// v2 refund notification `req_info` (spec/applied-features.md §1.6)

/** The AES key of `req_info`: the 32 ASCII characters of the lower-case hex MD5 of the API key. */
function reqInfoKey(apiKey: string): Buffer {
  return Buffer.from(createHash("md5").update(apiKey, "utf8").digest("hex"), "ascii");
}

/** `req_info` of a refund notification: base64 of AES-256-ECB (PKCS#7) over the `<root>…</root>` XML. */
export function encryptRefundReqInfo(plainXml: string, apiKey: string): string {
  const cipher = createCipheriv("aes-256-ecb", reqInfoKey(apiKey), null);
  return Buffer.concat([cipher.update(plainXml, "utf8"), cipher.final()]).toString("base64");
}

/** Decrypts `req_info` back to its `<root>…</root>` XML; throws on a wrong key or damaged input. */
export function decryptRefundReqInfo(reqInfo: string, apiKey: string): string {
  const decipher = createDecipheriv("aes-256-ecb", reqInfoKey(apiKey), null);
  return Buffer.concat([decipher.update(Buffer.from(reqInfo, "base64")), decipher.final()]).toString("utf8");
}
