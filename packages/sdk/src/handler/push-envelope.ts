/**
 * Verification and the envelope of pushes: the GET handshake, then for every push the size and
 * timestamp checks, the signature, decryption in compatible and safe mode, parsing; and the reply
 * sealed back in the push's mode. A rejected request is answered here and reported as stage "request".
 */
import { randomInt } from "node:crypto";
import {
  type InboundMessage,
  inboundFromRecord,
  MessageCrypto,
  MessageCryptoError,
  openInbound,
  parseXml,
  readFlatXml,
  type SecurityMode,
  sealReply,
  verifySignature,
  verifyUrl,
  XmlError,
} from "@mpstack/protocol";
import type { HandlerErrorInfo, HandlerRequest, HandlerResponse } from "./types.js";

export const TEXT_HEADERS = { "content-type": "text/plain; charset=utf-8" };
const XML_HEADERS = { "content-type": "application/xml; charset=utf-8" };
// Pushes are UTF-8 (callback.md §3); invalid bytes are refused rather than replaced.
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function plain(
  status: number,
  body: string,
  headers: Record<string, string> = TEXT_HEADERS,
): HandlerResponse {
  return { status, headers, body };
}

type Query = HandlerRequest["query"];

/** A push that passed every check: its message, its mode, and the key that opened it. */
export interface OpenedPush {
  readonly mode: SecurityMode;
  /** The key that opened the push (the previous one during a key change); seals the reply. */
  readonly crypto: MessageCrypto | undefined;
  readonly message: InboundMessage;
}

export interface PushEnvelopeOptions {
  token: string;
  appId: string;
  encodingAESKey?: string;
  previousEncodingAESKey?: string;
  timestampWindowSeconds?: number;
  maxBodyBytes: number;
  now: () => number;
  onError: (error: unknown, info: HandlerErrorInfo) => void;
}

export class PushEnvelope {
  private readonly token: string;
  private readonly crypto: MessageCrypto | undefined;
  private readonly previousCrypto: MessageCrypto | undefined;
  private readonly window: number | undefined;
  private readonly maxBodyBytes: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown, info: HandlerErrorInfo) => void;

  constructor(options: PushEnvelopeOptions) {
    this.token = options.token;
    this.crypto = options.encodingAESKey
      ? new MessageCrypto(options.encodingAESKey, options.appId)
      : undefined;
    this.previousCrypto = options.previousEncodingAESKey
      ? new MessageCrypto(options.previousEncodingAESKey, options.appId)
      : undefined;
    this.window = options.timestampWindowSeconds;
    this.maxBodyBytes = options.maxBodyBytes;
    this.now = options.now;
    this.onError = options.onError;
  }

  /** The GET handshake of the server configuration: echoes `echostr` when the signature holds. */
  handshake(query: Query): HandlerResponse {
    if (!this.fresh(query)) {
      return this.reject(401, "stale timestamp", new Error("handshake timestamp outside the window"));
    }
    try {
      return plain(200, verifyUrl({ query, token: this.token }));
    } catch (error) {
      return this.reject(401, "invalid signature", error);
    }
  }

  /** Checks, opens and parses a push; a refused one comes back as the response to send. */
  open(request: HandlerRequest): OpenedPush | HandlerResponse {
    const { query } = request;
    const raw = request.body;
    const size = typeof raw === "string" ? Buffer.byteLength(raw) : raw.byteLength;
    if (size > this.maxBodyBytes) {
      return this.reject(413, "body too large", new Error(`push body of ${size} bytes`));
    }
    if (!this.fresh(query)) {
      return this.reject(401, "stale timestamp", new Error("push timestamp outside the window"));
    }
    try {
      const body = typeof raw === "string" ? raw : utf8.decode(raw);
      if (query.encrypt_type === "aes" && this.crypto === undefined) {
        if (!verifySignature(this.token, query.timestamp ?? "", query.nonce ?? "", query.signature ?? "")) {
          return this.reject(401, "invalid signature", new Error("push signature mismatch"));
        }
        const error = new Error("encrypted push but no encodingAESKey configured");
        return this.reject(500, error.message, error);
      }
      const opened = openInbound({
        query,
        body,
        token: this.token,
        crypto: this.crypto,
        previousCrypto: this.previousCrypto,
      });
      // Pushes are flat: the protocol's fast reader takes them, its full codec anything else.
      const message = inboundFromRecord(readFlatXml(opened.xml) ?? parseXml(opened.xml));
      return { mode: opened.mode, crypto: opened.crypto, message };
    } catch (error) {
      if (error instanceof MessageCryptoError && error.code === "InvalidSignature") {
        return this.reject(401, "invalid signature", error);
      }
      if (error instanceof XmlError && error.code === "TooLarge") {
        return this.reject(413, "body too large", error);
      }
      // One generic answer for every later failure (spec/crypto.md §10.5), bad UTF-8 included.
      return this.reject(400, "invalid message", error);
    }
  }

  /** The response to a push: "success" for an empty answer, else the reply sealed in the push's mode. */
  seal(answer: string, push: OpenedPush, query: Query): HandlerResponse {
    if (answer === "") return plain(200, "success");
    const sealed = sealReply({
      xml: answer,
      mode: push.mode,
      token: this.token,
      crypto: push.crypto,
      timestamp: String(Math.floor(this.now() / 1000)),
      nonce: query.nonce || String(randomInt(1e9)),
    });
    return plain(200, sealed, XML_HEADERS);
  }

  private reject(status: number, body: string, error: unknown): HandlerResponse {
    this.onError(error, { stage: "request" });
    return plain(status, body);
  }

  private fresh(query: Query): boolean {
    if (this.window === undefined) return true;
    const timestamp = Number(query.timestamp);
    return Number.isFinite(timestamp) && Math.abs(this.now() / 1000 - timestamp) <= this.window;
  }
}
