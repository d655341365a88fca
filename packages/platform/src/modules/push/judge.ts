/**
 * What WeChat makes of a developer's answer (callback.md §6.1, §7; crypto.md §5): `success` or an
 * empty body end the push quietly; a valid reply (decrypted and checked in encrypted modes) is
 * delivered; no answer in time, a failed connection or a non-200 status are retried; anything else
 * (garbage, JSON, a bad signature or appid) ends the push with the notice.
 */
import {
  isEmptyReply,
  MessageCrypto,
  MessageCryptoError,
  openReply,
  parseReplyXml,
  type Reply,
  type SecurityMode,
} from "@mpstack/protocol";
import type { ExchangeResult } from "./delivery.js";

export type AttemptOutcome =
  | "replied"
  | "empty"
  | "timeout"
  | "http_error"
  | "invalid_reply"
  | "bad_signature"
  | "network_error";

export type Judgement =
  | { outcome: "replied"; reply: Reply; retry: false }
  | { outcome: "empty"; retry: false }
  | { outcome: "timeout" | "http_error" | "network_error"; error: string; retry: true }
  | { outcome: "invalid_reply" | "bad_signature"; error: string; retry: false };

export interface JudgeInput {
  mode: SecurityMode;
  token: string;
  crypto: MessageCrypto | undefined;
  /** Most news articles this push's reply may carry. */
  maxArticles: number;
}

export function judge(r: ExchangeResult, input: JudgeInput, timeoutMs: number): Judgement {
  switch (r.kind) {
    case "timeout":
      return { outcome: "timeout", error: `no answer within ${timeoutMs} ms`, retry: true };
    case "network_error":
      return { outcome: "network_error", error: r.error, retry: true };
    case "too_large":
      return { outcome: "invalid_reply", error: "the answer exceeds 1 MiB", retry: false };
    case "answer":
      break;
  }
  // Non-200 is not documented; treated like a timeout (callback.md §7, emulator choice).
  if (r.status !== 200) return { outcome: "http_error", error: `HTTP ${r.status}`, retry: true };
  if (isEmptyReply(r.body)) return { outcome: "empty", retry: false };
  let xml: string;
  try {
    xml = openReply({ body: r.body, mode: input.mode, token: input.token, crypto: input.crypto }).xml;
  } catch (err) {
    if (err instanceof MessageCryptoError) {
      const bad = err.code === "InvalidSignature" || err.code === "AppIdMismatch";
      return {
        outcome: bad ? "bad_signature" : "invalid_reply",
        error: `${err.code}: ${err.message}`,
        retry: false,
      };
    }
    return { outcome: "invalid_reply", error: errorText(err), retry: false };
  }
  // An encrypted "success" is still an acknowledgement.
  if (isEmptyReply(xml)) return { outcome: "empty", retry: false };
  try {
    const { reply } = parseReplyXml(xml, { maxArticles: input.maxArticles });
    return { outcome: "replied", reply, retry: false };
  } catch (err) {
    return { outcome: "invalid_reply", error: errorText(err), retry: false };
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}

const cryptos = new Map<string, MessageCrypto>();

/** One MessageCrypto per (appid, key): building one costs more than a push's AES work. */
export function cryptoFor(appid: string, encodingAESKey: string): MessageCrypto {
  const key = `${appid}\n${encodingAESKey}`;
  let c = cryptos.get(key);
  if (!c) {
    if (cryptos.size > 1000) cryptos.clear();
    c = new MessageCrypto(encodingAESKey, appid);
    cryptos.set(key, c);
  }
  return c;
}
