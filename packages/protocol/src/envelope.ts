/**
 * The callback-channel envelope in its three modes (spec/crypto.md §1, callback.md §2–§3, §6):
 * plaintext, compatible (plain fields plus `<Encrypt>`) and safe (only `ToUserName` + `Encrypt`).
 * Developer side: `verifyUrl`, `openInbound`, `sealReply`. Platform side: `sealInbound`, `openReply`.
 * Every failure is a `MessageCryptoError`; signatures are always checked before anything is decrypted.
 */
import { type MessageCrypto, MessageCryptoError } from "./crypto.js";
import { computeMsgSignature, computeSignature, safeEqual } from "./signature.js";
import { parseXml, type XmlLimits, type XmlRecord } from "./xml.js";
import { buildXml } from "./xml-build.js";

export type SecurityMode = "plain" | "compatible" | "safe";

type Query = Record<string, string | undefined>;

/** Bodies that need no encryption in any mode (documented: "success" or an empty answer). */
function isBareAcknowledgement(body: string): boolean {
  return body === "" || body === "success";
}

function param(query: Query, name: string): string | undefined {
  const value = query[name];
  return typeof value === "string" ? value : undefined;
}

function requireParam(query: Query, name: string): string {
  const value = param(query, name);
  if (value === undefined || value === "") {
    throw new MessageCryptoError("InvalidSignature", `missing query parameter "${name}"`);
  }
  return value;
}

function requireCrypto(crypto: MessageCrypto | undefined): MessageCrypto {
  if (crypto === undefined) {
    throw new MessageCryptoError(
      "InvalidKey",
      "encrypted mode needs an EncodingAESKey (no MessageCrypto given)",
    );
  }
  return crypto;
}

/**
 * Parses an envelope; any XML failure becomes InvalidXml (-40002). The envelopes WeChat and SDKs send
 * are flat (`<xml>` with a few text/CDATA children), so those are read by `readFlatXml`, several times
 * faster than the general codec; everything else goes through `parseXml`, which is also the one that
 * reports errors.
 */
function parseEnvelope(body: string, limits: XmlLimits | undefined): XmlRecord {
  if (
    body.length <= FLAT_MAX_CHARS &&
    (limits?.maxBytes === undefined || body.length * 3 <= limits.maxBytes)
  ) {
    const flat = readFlatXml(body);
    if (flat !== undefined) return flat;
  }
  try {
    return parseXml(body, limits);
  } catch (cause) {
    throw new MessageCryptoError("InvalidXml", "the body is not a well-formed XML envelope", { cause });
  }
}

// Well under parseXml's default 1 MiB even at 3 UTF-8 bytes per char, so the size rule is kept.
const FLAT_MAX_CHARS = 256 * 1024;
const FLAT_CHILD =
  /[ \t\n]*<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[((?:[^\]]|\](?!\]>))*)\]\]>|([^<>&]*))<\/\1>/y;
// What XML forbids (as parseXml does), plus CR, whose end-of-line normalisation is left to parseXml.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these characters is the point
const FLAT_FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Reads `<xml>` + flat children (`<Name>text</Name>` or `<Name><![CDATA[…]]></Name>`, whitespace
 * between them) + `</xml>` exactly as `parseXml` would, or returns undefined for anything else
 * (declarations, DOCTYPE, attributes, entities, nesting, repeated names, comments, CR): those take the
 * full codec. No markup can hide in what is accepted, so this adds no attack surface.
 */
export function readFlatXml(text: string): XmlRecord | undefined {
  let at = 0;
  while (at < text.length && isXmlSpace(text.charCodeAt(at))) at++;
  if (!text.startsWith("<xml>", at) || FLAT_FORBIDDEN.test(text) || LONE_SURROGATE.test(text))
    return undefined;
  at += 5;
  const record: XmlRecord = {};
  for (;;) {
    FLAT_CHILD.lastIndex = at;
    const child = FLAT_CHILD.exec(text);
    if (child === null) break;
    const name = child[1]!;
    if (Object.hasOwn(record, name) || name === "__proto__") return undefined;
    record[name] = child[2] ?? child[3] ?? "";
    at = FLAT_CHILD.lastIndex;
  }
  while (at < text.length && isXmlSpace(text.charCodeAt(at))) at++;
  if (!text.startsWith("</xml>", at)) return undefined;
  at += 6;
  while (at < text.length && isXmlSpace(text.charCodeAt(at))) at++;
  return at === text.length ? record : undefined;
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09;
}

function textField(record: XmlRecord, name: string): string | undefined {
  const value = record[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Optional freshness check (spec/crypto.md §10.3: off by default, since the docs define no window).
 * `nowMs` is milliseconds, like `Date.now()`.
 */
function checkTimestamp(
  timestamp: string,
  windowSeconds: number | undefined,
  nowMs: number | undefined,
): void {
  if (windowSeconds === undefined) return;
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const now = (nowMs ?? Date.now()) / 1000;
  if (!(Math.abs(now - seconds) <= windowSeconds)) {
    throw new MessageCryptoError("InvalidSignature", "timestamp outside the accepted window");
  }
}

/** Tries the current key, then the previous one (key rotation, spec/crypto.md §2). */
function decryptWithRotation(
  encrypt: string,
  crypto: MessageCrypto,
  previous: MessageCrypto | undefined,
): { message: string; crypto: MessageCrypto } {
  try {
    return { message: crypto.decrypt(encrypt).message, crypto };
  } catch (error) {
    if (previous === undefined) throw error;
    try {
      return { message: previous.decrypt(encrypt).message, crypto: previous };
    } catch {
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Developer side

export interface VerifyUrlInput {
  query: Query;
  token: string;
  /**
   * Only for the WeCom-style handshake (encrypted `echostr` checked with `msg_signature`, spec/crypto.md
   * §1). The MP platform sends a plain `echostr`; without `crypto` only that form is accepted.
   */
  crypto?: MessageCrypto;
  timestampWindowSeconds?: number;
  now?: number;
}

/** The URL-verification GET: returns the `echostr` to answer when the signature is valid. */
export function verifyUrl(input: VerifyUrlInput): string {
  const { query, token } = input;
  const timestamp = requireParam(query, "timestamp");
  const nonce = requireParam(query, "nonce");
  const echostr = requireParam(query, "echostr");
  const msgSignature = param(query, "msg_signature");
  if (input.crypto !== undefined && msgSignature !== undefined && param(query, "signature") === undefined) {
    if (!safeEqual(computeMsgSignature(token, timestamp, nonce, echostr), msgSignature)) {
      throw new MessageCryptoError("InvalidSignature", "msg_signature does not match");
    }
    checkTimestamp(timestamp, input.timestampWindowSeconds, input.now);
    return input.crypto.decrypt(echostr).message;
  }
  const signature = requireParam(query, "signature");
  if (!safeEqual(computeSignature(token, timestamp, nonce), signature)) {
    throw new MessageCryptoError("InvalidSignature", "signature does not match");
  }
  checkTimestamp(timestamp, input.timestampWindowSeconds, input.now);
  return echostr;
}

export interface OpenInboundInput {
  query: Query;
  body: string;
  token: string;
  crypto?: MessageCrypto;
  /** The EncodingAESKey in use before the last change; tried when `crypto` cannot decrypt. */
  previousCrypto?: MessageCrypto;
  /** Reject pushes whose `timestamp` is further than this from `now` (off when undefined). */
  timestampWindowSeconds?: number;
  /** Current time in milliseconds (defaults to `Date.now()`). */
  now?: number;
  /** Limits for the outer envelope (defaults of `parseXml`). */
  limits?: XmlLimits;
}

export interface OpenedInbound {
  mode: SecurityMode;
  /** The plain message XML (decrypted when `encrypted`). */
  xml: string;
  encrypted: boolean;
  /** The key that decrypted the push: seal the reply with it. */
  crypto?: MessageCrypto;
}

/**
 * Verifies and opens a push. `signature` is checked in every mode; with `encrypt_type=aes` the body's
 * `Encrypt` is checked against `msg_signature` and decrypted. No `encrypt_type`, or `raw`, means
 * plaintext (spec/crypto.md §1).
 */
export function openInbound(input: OpenInboundInput): OpenedInbound {
  const { query, token } = input;
  const timestamp = requireParam(query, "timestamp");
  const nonce = requireParam(query, "nonce");
  const signature = requireParam(query, "signature");
  if (!safeEqual(computeSignature(token, timestamp, nonce), signature)) {
    throw new MessageCryptoError("InvalidSignature", "signature does not match");
  }
  checkTimestamp(timestamp, input.timestampWindowSeconds, input.now);
  const encryptType = param(query, "encrypt_type");
  if (encryptType === undefined || encryptType === "" || encryptType === "raw") {
    return { mode: "plain", xml: input.body, encrypted: false };
  }
  if (encryptType !== "aes") {
    throw new MessageCryptoError("DecryptFailed", "unsupported encrypt_type (expected aes or raw)");
  }
  const msgSignature = requireParam(query, "msg_signature");
  const crypto = requireCrypto(input.crypto);
  const envelope = parseEnvelope(input.body, input.limits);
  const encrypt = textField(envelope, "Encrypt");
  if (encrypt === undefined)
    throw new MessageCryptoError("InvalidXml", "the envelope has no Encrypt element");
  if (!safeEqual(computeMsgSignature(token, timestamp, nonce, encrypt), msgSignature)) {
    throw new MessageCryptoError("InvalidSignature", "msg_signature does not match");
  }
  const opened = decryptWithRotation(encrypt, crypto, input.previousCrypto);
  // Compatible pushes repeat the plain fields next to Encrypt; safe pushes carry only ToUserName.
  const mode: SecurityMode = envelope.MsgType !== undefined ? "compatible" : "safe";
  return { mode, xml: opened.message, encrypted: true, crypto: opened.crypto };
}

export interface SealReplyInput {
  /** The plain reply XML, or "success" / "" (never encrypted). */
  xml: string;
  mode: SecurityMode;
  token: string;
  crypto?: MessageCrypto;
  timestamp: string;
  nonce: string;
  /** Fixed 16-byte random prefix (tests); fresh random bytes otherwise. */
  random16?: Uint8Array;
}

/**
 * Wraps a passive reply for the push's mode. Plaintext mode and bare acknowledgements pass through;
 * compatible and safe mode produce the encrypted envelope of spec/crypto.md §1.2 (in compatible mode
 * the platform accepts either; encrypting is the safer choice).
 */
export function sealReply(input: SealReplyInput): string {
  if (input.mode === "plain" || isBareAcknowledgement(input.xml)) return input.xml;
  const crypto = requireCrypto(input.crypto);
  const encrypt = crypto.encrypt(input.xml, input.random16);
  return buildXml({
    Encrypt: encrypt,
    MsgSignature: computeMsgSignature(input.token, input.timestamp, input.nonce, encrypt),
    // A bare integer like the samples; anything else (a developer's odd value) stays exact as CDATA.
    TimeStamp: /^\d{1,20}$/.test(input.timestamp) ? BigInt(input.timestamp) : input.timestamp,
    Nonce: input.nonce,
  });
}

// ---------------------------------------------------------------------------------------------------
// Platform side

export interface SealInboundInput {
  /** The plain push XML (`<xml>…</xml>`). */
  xml: string;
  mode: SecurityMode;
  token: string;
  crypto?: MessageCrypto;
  timestamp: string;
  nonce: string;
  /** The `openid` URL parameter (sent in every mode by today's platform; optional). */
  openid?: string;
  /** The appid written into the ciphertext (normally `crypto.appId`). */
  appId: string;
  /** The account's original id (`gh_…`) for the safe envelope's `ToUserName`. */
  toUserName: string;
  random16?: Uint8Array;
}

export interface SealedInbound {
  query: Record<string, string>;
  body: string;
}

/** Builds a push's query parameters and body for the account's mode (callback.md §3.1). */
export function sealInbound(input: SealInboundInput): SealedInbound {
  const query: Record<string, string> = {
    signature: computeSignature(input.token, input.timestamp, input.nonce),
    timestamp: input.timestamp,
    nonce: input.nonce,
  };
  if (input.openid !== undefined) query.openid = input.openid;
  if (input.mode === "plain") return { query, body: input.xml };

  const encrypt = requireCrypto(input.crypto).encrypt(input.xml, input.random16, input.appId);
  query.encrypt_type = "aes";
  query.msg_signature = computeMsgSignature(input.token, input.timestamp, input.nonce, encrypt);
  if (input.mode === "safe")
    return { query, body: buildXml({ ToUserName: input.toUserName, Encrypt: encrypt }) };

  // Compatible: the plain message as is, with Encrypt as the last child (the 2014 capture, V7).
  const close = /<\/xml>\s*$/.exec(input.xml);
  if (close === null) throw new MessageCryptoError("InvalidXml", "the push XML must end with </xml>");
  // Base64 never contains "]]>", so the CDATA section needs no splitting.
  return {
    query,
    body: `${input.xml.slice(0, close.index)}<Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`,
  };
}

export interface OpenReplyInput {
  body: string;
  mode: SecurityMode;
  token: string;
  crypto?: MessageCrypto;
  limits?: XmlLimits;
}

export interface OpenedReply {
  /** The plain reply XML, or the bare acknowledgement ("success" / "") as received. */
  xml: string;
  encrypted: boolean;
}

/**
 * Reads a developer's passive reply. Safe mode requires the encrypted envelope (except for "success"
 * and ""); compatible mode accepts plain or encrypted; plaintext mode takes the body as is. The
 * envelope's MsgSignature and the ciphertext's appid are checked.
 */
export function openReply(input: OpenReplyInput): OpenedReply {
  const { body } = input;
  if (input.mode === "plain" || isBareAcknowledgement(body)) return { xml: body, encrypted: false };
  if (input.mode === "compatible" && !body.includes("<Encrypt")) return { xml: body, encrypted: false };
  const envelope = parseEnvelope(body, input.limits);
  const encrypt = textField(envelope, "Encrypt");
  if (encrypt === undefined) {
    throw new MessageCryptoError("InvalidXml", "safe mode needs an encrypted reply (no Encrypt element)");
  }
  const msgSignature = textField(envelope, "MsgSignature");
  const timestamp = textField(envelope, "TimeStamp");
  const nonce = textField(envelope, "Nonce");
  if (msgSignature === undefined || timestamp === undefined || nonce === undefined) {
    throw new MessageCryptoError(
      "InvalidSignature",
      "the reply envelope lacks MsgSignature, TimeStamp or Nonce",
    );
  }
  if (!safeEqual(computeMsgSignature(input.token, timestamp, nonce, encrypt), msgSignature)) {
    throw new MessageCryptoError("InvalidSignature", "MsgSignature does not match");
  }
  return { xml: requireCrypto(input.crypto).decrypt(encrypt).message, encrypted: true };
}
