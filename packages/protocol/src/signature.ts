/**
 * The URL signature of pushes and of the server-configuration handshake (spec/crypto.md §3.1):
 * SHA-1 over the sorted token, timestamp and nonce, compared in constant time.
 */
import * as nodeCrypto from "node:crypto";

// One-shot `crypto.hash` (Node ≥ 20.12) skips the Hash object; older 20.x falls back to createHash.
const oneShotHash = typeof nodeCrypto.hash === "function" ? nodeCrypto.hash : undefined;

/** Lower-case hex SHA-1 of a UTF-8 string. */
export function sha1Hex(input: string): string {
  if (oneShotHash !== undefined) return oneShotHash("sha1", input, "hex");
  return nodeCrypto.createHash("sha1").update(input, "utf8").digest("hex");
}

/**
 * The callback-channel signature scheme (spec/crypto.md §3): sort the parts in code-unit order
 * (the default JS sort; all inputs are ASCII in practice, so this equals byte order), join without
 * separator, SHA-1.
 */
function sortedSha1(parts: string[]): string {
  return sha1Hex(parts.sort().join(""));
}

/** `signature` of the URL verification GET and of every push: SHA-1 over sorted token/timestamp/nonce. */
export function computeSignature(token: string, timestamp: string, nonce: string): string {
  return sortedSha1([token, timestamp, nonce]);
}

/** `msg_signature` / `MsgSignature`: SHA-1 over sorted token/timestamp/nonce/Encrypt. */
export function computeMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
): string {
  return sortedSha1([token, timestamp, nonce, encrypt]);
}

/**
 * Constant-time string comparison: only the lengths leak (they are public: a signature is always
 * 40 hex chars). Compares the UTF-8 bytes with `crypto.timingSafeEqual`.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return nodeCrypto.timingSafeEqual(left, right);
}

export function verifySignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  return safeEqual(computeSignature(token, timestamp, nonce), signature);
}

export function verifyMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  msgSignature: string,
): boolean {
  return safeEqual(computeMsgSignature(token, timestamp, nonce, encrypt), msgSignature);
}
