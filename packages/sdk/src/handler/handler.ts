import { randomInt } from "node:crypto";
import {
  buildReplyXml,
  type InboundMessage,
  MessageCrypto,
  MessageCryptoError,
  openInbound,
  parseInbound,
  type Reply,
  type SecurityMode,
  sealReply,
  verifySignature,
  verifyUrl,
  XmlError,
} from "@mpstack/protocol";
import { type DedupeStore, dedupeKey, MemoryDedupeStore } from "./dedupe.js";
import { Router } from "./router.js";
import type {
  CustomerMessageSender,
  HandlerContext,
  HandlerErrorInfo,
  HandlerRequest,
  HandlerResponse,
  HandlerResult,
} from "./types.js";

export interface HandlerOptions {
  /** The Token of the server configuration (signing secret). */
  token: string;
  /** The account's AppID (checked inside every encrypted message). */
  appId: string;
  /** Required for compatible and safe mode. */
  encodingAESKey?: string;
  /** The key in use before the last change: still accepted while WeChat switches (spec/crypto.md §2). */
  previousEncodingAESKey?: string;
  /**
   * Reject pushes whose `timestamp` is further than this from the local clock (GET handshake
   * included). Off by default, as spec/crypto.md §10.3 proposes (WeChat defines no window and a
   * simulator may move its clock); 300 is a sensible value in production.
   */
  timestampWindowSeconds?: number;
  /** Where retried pushes are recognised; default an in-memory store, `false` to turn it off. */
  dedupe?: DedupeStore | false;
  /** How long a push's answer is remembered. Default 120 s (WeChat retries within about 15 s). */
  dedupeTtlSeconds?: number;
  /** Time allowed to routes before "success" is answered; default 4500 ms (WeChat waits 5 s). */
  budgetMs?: number;
  /** Delivers replies that missed the budget as customer-service messages. */
  fallback?: CustomerMessageSender;
  /** Told about route errors, late replies that could not be delivered and rejected requests. */
  onError?: (error: unknown, info: HandlerErrorInfo) => void;
  /** Largest accepted body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** The core an adapter needs. */
export interface HandlerCore {
  handle(request: HandlerRequest): Promise<HandlerResponse>;
  /** Adapters stop reading bodies beyond this. */
  readonly maxBodyBytes: number;
  /** Reports an error found by an adapter (e.g. a body already consumed by a parser). */
  report(error: unknown, info: HandlerErrorInfo): void;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };
const XML = { "content-type": "application/xml; charset=utf-8" };
const POLL_MS = 50;

function plain(status: number, body: string, headers: Record<string, string> = TEXT): HandlerResponse {
  return { status, headers, body };
}

const SUCCESS = () => plain(200, "success");

function stringField(message: InboundMessage, name: string): string {
  const value = message.raw[name];
  return typeof value === "string" ? value : "";
}

function toReply(result: HandlerResult): Reply | undefined {
  if (result === undefined || result === null || result === "") return undefined;
  if (typeof result === "string") return { type: "text", content: result };
  return result;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves to `promise`'s value, or to `fallback` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

function defaultOnError(error: unknown, info: HandlerErrorInfo): void {
  // Only the error and the stage: messages may carry user content, the options carry secrets.
  console.error(`[mpstack] message handler (${info.stage}):`, error);
}

/**
 * The WeChat message handler: verifies every request, opens pushes in all three modes, routes typed
 * messages, de-duplicates retries, keeps the 5-second rule and seals replies in the push's mode.
 */
export class MessageHandler extends Router implements HandlerCore {
  readonly maxBodyBytes: number;
  private readonly token: string;
  private readonly crypto: MessageCrypto | undefined;
  private readonly previousCrypto: MessageCrypto | undefined;
  private readonly window: number | undefined;
  private readonly store: DedupeStore | undefined;
  private readonly ttlSeconds: number;
  private readonly budgetMs: number;
  private readonly fallbackSender: CustomerMessageSender | undefined;
  private readonly onError: (error: unknown, info: HandlerErrorInfo) => void;
  private readonly now: () => number;
  /** Answers being computed in this process, by dedupe key: retries wait on them. */
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(options: HandlerOptions) {
    super();
    if (!options.token) throw new TypeError("createHandler: token is required");
    if (!options.appId) throw new TypeError("createHandler: appId is required");
    this.token = options.token;
    this.crypto = options.encodingAESKey
      ? new MessageCrypto(options.encodingAESKey, options.appId)
      : undefined;
    this.previousCrypto = options.previousEncodingAESKey
      ? new MessageCrypto(options.previousEncodingAESKey, options.appId)
      : undefined;
    this.window = options.timestampWindowSeconds;
    this.store = options.dedupe === false ? undefined : (options.dedupe ?? new MemoryDedupeStore());
    this.ttlSeconds = options.dedupeTtlSeconds ?? 120;
    this.budgetMs = options.budgetMs ?? 4500;
    this.fallbackSender = options.fallback;
    this.onError = options.onError ?? defaultOnError;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Handles one HTTP request (bound: can be passed around as a function). */
  readonly handle = async (request: HandlerRequest): Promise<HandlerResponse> => {
    const method = request.method.toUpperCase();
    if (method === "GET") return this.verifyUrl(request.query);
    if (method !== "POST")
      return { status: 405, headers: { ...TEXT, allow: "GET, POST" }, body: "method not allowed" };
    return this.push(request);
  };

  report(error: unknown, info: HandlerErrorInfo): void {
    this.onError(error, info);
  }

  private reject(status: number, body: string, error: unknown): HandlerResponse {
    this.onError(error, { stage: "request" });
    return plain(status, body);
  }

  private fresh(query: HandlerRequest["query"]): boolean {
    if (this.window === undefined) return true;
    const timestamp = Number(query.timestamp);
    return Number.isFinite(timestamp) && Math.abs(this.now() / 1000 - timestamp) <= this.window;
  }

  private verifyUrl(query: HandlerRequest["query"]): HandlerResponse {
    if (!this.fresh(query))
      return this.reject(401, "stale timestamp", new Error("handshake timestamp outside the window"));
    try {
      return plain(200, verifyUrl({ query, token: this.token }));
    } catch (error) {
      return this.reject(401, "invalid signature", error);
    }
  }

  private async push(request: HandlerRequest): Promise<HandlerResponse> {
    const { query } = request;
    const raw = request.body;
    const size = typeof raw === "string" ? Buffer.byteLength(raw) : raw.byteLength;
    if (size > this.maxBodyBytes)
      return this.reject(413, "body too large", new Error(`push body of ${size} bytes`));
    if (!this.fresh(query))
      return this.reject(401, "stale timestamp", new Error("push timestamp outside the window"));
    const body =
      typeof raw === "string" ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString();

    let mode: SecurityMode;
    let message: InboundMessage;
    let crypto: MessageCrypto | undefined;
    try {
      if (query.encrypt_type === "aes" && this.crypto === undefined) {
        if (!verifySignature(this.token, query.timestamp ?? "", query.nonce ?? "", query.signature ?? "")) {
          return this.reject(401, "invalid signature", new Error("push signature mismatch"));
        }
        return this.reject(
          500,
          "encrypted push but no encodingAESKey configured",
          new Error("no encodingAESKey"),
        );
      }
      const opened = openInbound({
        query,
        body,
        token: this.token,
        crypto: this.crypto,
        previousCrypto: this.previousCrypto,
      });
      mode = opened.mode;
      crypto = opened.crypto;
      message = parseInbound(opened.xml);
    } catch (error) {
      if (error instanceof MessageCryptoError && error.code === "InvalidSignature") {
        return this.reject(401, "invalid signature", error);
      }
      if (error instanceof XmlError && error.code === "TooLarge")
        return this.reject(413, "body too large", error);
      // One generic answer for every later failure (spec/crypto.md §10.5).
      return this.reject(400, "invalid message", error);
    }

    const answer = await this.answer(message, {
      mode,
      query,
      openid: stringField(message, "FromUserName"),
      receivedAt: this.now(),
      match: null,
      state: {},
    });
    if (answer === "") return SUCCESS();
    const sealed = sealReply({
      xml: answer,
      mode,
      token: this.token,
      crypto, // the key that opened the push (the previous one during a key change)
      timestamp: String(Math.floor(this.now() / 1000)),
      nonce: query.nonce || String(randomInt(1e9)),
    });
    return plain(200, sealed, XML);
  }

  /** The plain answer for a push ("" = success), running the routes at most once per push. */
  private async answer(message: InboundMessage, ctx: HandlerContext): Promise<string> {
    const store = this.store;
    const key = store ? dedupeKey(message.raw) : undefined;
    if (store === undefined || key === undefined) return this.run(message, ctx);

    const local = this.inflight.get(key);
    if (local) return within(local, this.budgetMs, "");

    let claim: Awaited<ReturnType<DedupeStore["claim"]>>;
    try {
      claim = await store.claim(key, this.ttlSeconds);
    } catch (error) {
      // A broken store must not silence the account: answer, at the risk of a duplicate run.
      this.onError(error, { stage: "dedupe", message });
      return this.run(message, ctx);
    }
    if (claim.status === "done") return claim.answer;
    if (claim.status === "pending") {
      const started = this.inflight.get(key);
      return started ? within(started, this.budgetMs, "") : this.poll(key, ctx.receivedAt + this.budgetMs);
    }

    const running = this.run(message, ctx);
    this.inflight.set(key, running);
    try {
      const answer = await running;
      try {
        await store.complete(key, answer, this.ttlSeconds);
      } catch (error) {
        this.onError(error, { stage: "dedupe", message });
      }
      return answer;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Waits for another process's answer until `deadline`; "success" if it does not come in time. */
  private async poll(key: string, deadline: number): Promise<string> {
    const store = this.store!;
    while (this.now() < deadline) {
      await delay(Math.min(POLL_MS, Math.max(1, deadline - this.now())));
      try {
        const answer = await store.lookup(key);
        if (answer !== undefined) return answer;
      } catch {
        // keep waiting; the deadline bounds it
      }
    }
    return "";
  }

  /** Runs the routes under the time budget; a late reply goes out as a customer-service message. */
  private run(message: InboundMessage, ctx: HandlerContext): Promise<string> {
    return new Promise<string>((resolve) => {
      let answered = false;
      const timer = setTimeout(() => {
        answered = true;
        resolve("");
      }, this.budgetMs);
      this.dispatch(message, ctx).then(
        (result) => {
          if (answered) return this.deliverLate(message, ctx, result);
          answered = true;
          clearTimeout(timer);
          try {
            resolve(this.replyXml(message, result));
          } catch (error) {
            this.onError(error, { stage: "route", message });
            resolve("");
          }
        },
        (error: unknown) => {
          this.onError(error, { stage: "route", message });
          if (answered) return;
          answered = true;
          clearTimeout(timer);
          resolve("");
        },
      );
    });
  }

  private replyXml(message: InboundMessage, result: HandlerResult): string {
    const reply = toReply(result);
    if (reply === undefined) return "";
    return buildReplyXml(reply, {
      toUserName: stringField(message, "FromUserName"),
      fromUserName: stringField(message, "ToUserName"),
      createTime: Math.floor(this.now() / 1000),
    });
  }

  private deliverLate(message: InboundMessage, ctx: HandlerContext, result: HandlerResult): void {
    const reply = toReply(result);
    if (reply === undefined) return;
    const sender = this.fallbackSender;
    if (sender === undefined) {
      this.onError(new Error(`reply dropped: ready after the ${this.budgetMs} ms budget and no fallback`), {
        stage: "budget",
        message,
      });
      return;
    }
    Promise.resolve()
      .then(() => sender.sendCustomerMessage(ctx.openid, reply))
      .catch((error: unknown) => this.onError(error, { stage: "fallback", message }));
  }
}

/** Creates a message handler; register routes on it, then mount it with an adapter. */
export function createHandler(options: HandlerOptions): MessageHandler {
  return new MessageHandler(options);
}
