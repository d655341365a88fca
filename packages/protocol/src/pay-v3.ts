/**
 * WeChat Pay API v3 (spec/applied-features.md §1.7–§1.9): the request signature and its
 * `Authorization: WECHATPAY2-SHA256-RSA2048 …` header, the response/notification signature with the
 * platform key, the JSAPI `paySign` for `signType: "RSA"`, and AEAD_AES_256_GCM for notification
 * resources and platform certificates. Pure code over node:crypto; both sides (platform and SDK) use it.
 */
import { createCipheriv, createDecipheriv, createSign, createVerify, type KeyLike } from "node:crypto";

export const PAY_V3_AUTH_SCHEME = "WECHATPAY2-SHA256-RSA2048";

/** The message a v3 request signature covers: `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`. */
export function payV3RequestMessage(
  method: string,
  pathWithQuery: string,
  timestamp: string | number,
  nonce: string,
  body: string,
): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** The message a response or notification signature covers: `TIMESTAMP\nNONCE\nBODY\n`. */
export function payV3ResponseMessage(timestamp: string | number, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** base64 RSA-SHA256 (PKCS#1 v1.5) of `message` with a private key (PEM or KeyObject). */
export function rsaSha256Sign(message: string, privateKey: KeyLike): string {
  return createSign("RSA-SHA256").update(message, "utf8").sign(privateKey, "base64");
}

/** Checks a base64 RSA-SHA256 signature with a public key or certificate; false on any malformed input. */
export function rsaSha256Verify(message: string, signature: string, publicKey: KeyLike): boolean {
  try {
    return createVerify("RSA-SHA256").update(message, "utf8").verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

export interface PayV3Authorization {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

/** `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`. */
export function payV3AuthorizationHeader(a: PayV3Authorization): string {
  return (
    `${PAY_V3_AUTH_SCHEME} mchid="${a.mchid}",nonce_str="${a.nonce_str}",signature="${a.signature}",` +
    `timestamp="${a.timestamp}",serial_no="${a.serial_no}"`
  );
}

/** Parses an Authorization header (any order of the five fields); null when it is not this scheme or lacks one. */
export function parsePayV3Authorization(header: string | undefined): PayV3Authorization | null {
  if (header === undefined || header.length > 4096) return null;
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${PAY_V3_AUTH_SCHEME} `)) return null;
  const fields: Record<string, string> = {};
  for (const m of trimmed.slice(PAY_V3_AUTH_SCHEME.length + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) fields[m[1]] = m[2];
  }
  const { mchid, nonce_str, timestamp, serial_no, signature } = fields;
  if (!mchid || !nonce_str || !timestamp || !serial_no || !signature) return null;
  return { mchid, nonce_str, timestamp, serial_no, signature };
}

export interface PayV3SignRequest {
  mchid: string;
  /** The merchant certificate's serial number (hex). */
  serialNo: string;
  privateKey: KeyLike;
  method: string;
  /** Path and query as sent, e.g. `/v3/pay/transactions/id/4200…?mchid=1900000001`. */
  pathWithQuery: string;
  body: string;
  timestamp: string | number;
  nonce: string;
}

/** The Authorization header of a v3 request signed with the merchant's private key. */
export function signPayV3Request(r: PayV3SignRequest): string {
  const message = payV3RequestMessage(r.method, r.pathWithQuery, r.timestamp, r.nonce, r.body);
  return payV3AuthorizationHeader({
    mchid: r.mchid,
    nonce_str: r.nonce,
    timestamp: String(r.timestamp),
    serial_no: r.serialNo,
    signature: rsaSha256Sign(message, r.privateKey),
  });
}

/** The `Wechatpay-*` headers of a signed response or notification. */
export interface PayV3SignatureHeaders {
  "Wechatpay-Timestamp": string;
  "Wechatpay-Nonce": string;
  "Wechatpay-Signature": string;
  "Wechatpay-Serial": string;
  "Wechatpay-Signature-Type": string;
}

/** Signs a response or notification body with the platform key (§1.8). */
export function signPayV3Response(
  body: string,
  platformKey: KeyLike,
  platformSerial: string,
  timestamp: string | number,
  nonce: string,
): PayV3SignatureHeaders {
  return {
    "Wechatpay-Timestamp": String(timestamp),
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": rsaSha256Sign(payV3ResponseMessage(timestamp, nonce, body), platformKey),
    "Wechatpay-Serial": platformSerial,
    "Wechatpay-Signature-Type": PAY_V3_AUTH_SCHEME,
  };
}

/** Verifies a response or notification signature (headers as received) with the platform certificate. */
export function verifyPayV3Response(
  body: string,
  headers: { timestamp: string; nonce: string; signature: string },
  platformPublicKey: KeyLike,
): boolean {
  return rsaSha256Verify(
    payV3ResponseMessage(headers.timestamp, headers.nonce, body),
    headers.signature,
    platformPublicKey,
  );
}

/** The message of a v3 JSAPI `paySign` (§1.9): `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function payV3JsapiMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

// ---------------------------------------------------------------------------------------------------
// AEAD_AES_256_GCM (notification resources, platform certificates)

export interface AeadResource {
  algorithm: "AEAD_AES_256_GCM";
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

const GCM_TAG_BYTES = 16;

function aeadKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, "utf8");
  if (key.length !== 32) throw new Error("the APIv3 key must be 32 bytes");
  return key;
}

/** base64(ciphertext ‖ 16-byte tag) of AES-256-GCM with the APIv3 key, `nonce` as IV and `aad`. */
export function aeadEncrypt(apiV3Key: string, nonce: string, aad: string, plaintext: string): string {
  const cipher = createCipheriv("aes-256-gcm", aeadKey(apiV3Key), Buffer.from(nonce, "utf8"));
  cipher.setAAD(Buffer.from(aad, "utf8"));
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]).toString(
    "base64",
  );
}

/** Reverses `aeadEncrypt`; throws when the key, nonce, AAD or ciphertext do not match (the tag fails). */
export function aeadDecrypt(apiV3Key: string, nonce: string, aad: string, ciphertext: string): string {
  const data = Buffer.from(ciphertext, "base64");
  if (data.length < GCM_TAG_BYTES) throw new Error("ciphertext shorter than the GCM tag");
  const decipher = createDecipheriv("aes-256-gcm", aeadKey(apiV3Key), Buffer.from(nonce, "utf8"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  return Buffer.concat([
    decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)),
    decipher.final(),
  ]).toString("utf8");
}

/** Decrypts a notification's or certificate's `resource` object. */
export function decryptAeadResource(apiV3Key: string, r: Omit<AeadResource, "algorithm">): string {
  return aeadDecrypt(apiV3Key, r.nonce, r.associated_data, r.ciphertext);
}
