import { randomInt } from "node:crypto";
import {
  buildReplyXml,
  type InboundMessage,
  inboundFromRecord,
  MessageCrypto,
  MessageCryptoError,
  openInbound,
  parseXml,
  type Reply,
  readFlatXml,
  type SecurityMode,
  sealReply,
  verifySignature,
  verifyUrl,
  XmlError,
} from "@mpstack/protocol";
import { type DedupeClaim, type DedupeStore, dedupeKey, MemoryDedupeStore } from "./dedupe.js";
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
// Pushes are UTF-8 (callback.md §3); invalid bytes are refused rather than replaced.
const utf8 = new TextDecoder("utf-8", { fatal: true });

type Maybe<T> = T | Promise<T>;

function isPromise<T>(value: Maybe<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

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
  // Rejected requests (forgeries, probes) get one line, not a stack trace each.
  if (info.stage === "request") {
    console.warn(`[mpstack] message handler rejected a request: ${(error as Error)?.message ?? error}`);
  } else {
    console.error(`[mpstack] message handler (${info.stage}):`, error);
  }
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
  readonly handle = (request: HandlerRequest): Promise<HandlerResponse> => {
    try {
      const method = request.method.toUpperCase();
      if (method === "GET") return Promise.resolve(this.verifyUrl(request.query));
      if (method !== "POST") {
        return Promise.resolve({
          status: 405,
          headers: { ...TEXT, allow: "GET, POST" },
          body: "method not allowed",
        });
      }
      const response = this.push(request);
      return isPromise(response) ? response : Promise.resolve(response);
    } catch (error) {
      return Promise.reject(error);
    }
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
    if (!this.fresh(query)) {
      return this.reject(401, "stale timestamp", new Error("handshake timestamp outside the window"));
    }
    try {
      return plain(200, verifyUrl({ query, token: this.token }));
    } catch (error) {
      return this.reject(401, "invalid signature", error);
    }
  }

  // The request path stays synchronous as long as the routes and the store are: no promise, no timer
  // and no extra event-loop turn for a route that answers at once (see `run`).
  private push(request: HandlerRequest): Maybe<HandlerResponse> {
    const { query } = request;
    const raw = request.body;
    const size = typeof raw === "string" ? Buffer.byteLength(raw) : raw.byteLength;
    if (size > this.maxBodyBytes) {
      return this.reject(413, "body too large", new Error(`push body of ${size} bytes`));
    }
    if (!this.fresh(query)) {
      return this.reject(401, "stale timestamp", new Error("push timestamp outside the window"));
    }

    let mode: SecurityMode;
    let message: InboundMessage;
    let crypto: MessageCrypto | undefined;
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
      mode = opened.mode;
      crypto = opened.crypto;
      // Pushes are flat: the protocol's fast reader takes them, its full codec anything else.
      message = inboundFromRecord(readFlatXml(opened.xml) ?? parseXml(opened.xml));
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

    const ctx: HandlerContext = {
      mode,
      query,
      openid: stringField(message, "FromUserName"),
      receivedAt: this.now(),
      match: null,
      state: {},
    };
    const answer = this.answer(message, ctx);
    return isPromise(answer)
      ? answer.then((xml) => this.respond(xml, mode, crypto, query))
      : this.respond(answer, mode, crypto, query);
  }

  private respond(
    answer: string,
    mode: SecurityMode,
    crypto: MessageCrypto | undefined,
    query: HandlerRequest["query"],
  ): HandlerResponse {
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
  private answer(message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    const store = this.store;
    const key = store ? dedupeKey(message.raw) : undefined;
    if (store === undefined || key === undefined) return this.run(message, ctx);

    const local = this.inflight.get(key);
    if (local) return within(local, this.budgetMs, "");

    let claimed: Maybe<DedupeClaim>;
    try {
      claimed = store.claim(key, this.ttlSeconds);
    } catch (error) {
      return this.unclaimed(error, message, ctx);
    }
    if (!isPromise(claimed)) return this.claimed(store, key, claimed, message, ctx);
    return claimed.then(
      (claim) => this.claimed(store, key, claim, message, ctx),
      (error: unknown) => this.unclaimed(error, message, ctx),
    );
  }

  /** A broken store must not silence the account: answer, at the risk of a duplicate run. */
  private unclaimed(error: unknown, message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    this.onError(error, { stage: "dedupe", message });
    return this.run(message, ctx);
  }

  private claimed(
    store: DedupeStore,
    key: string,
    claim: DedupeClaim,
    message: InboundMessage,
    ctx: HandlerContext,
  ): Maybe<string> {
    if (claim.status === "done") return claim.answer;
    if (claim.status === "pending") {
      const started = this.inflight.get(key);
      return started ? within(started, this.budgetMs, "") : this.poll(key, ctx.receivedAt + this.budgetMs);
    }
    const running = this.run(message, ctx);
    if (!isPromise(running)) return this.remember(store, key, running, message);
    // Retries arriving meanwhile in this process wait on the same promise.
    const shared = running.then((answer) => this.remember(store, key, answer, message));
    this.inflight.set(key, shared);
    return shared.finally(() => this.inflight.delete(key));
  }

  /** Records the answer for later retries; resolves to the answer either way. */
  private remember(store: DedupeStore, key: string, answer: string, message: InboundMessage): Maybe<string> {
    const failed = (error: unknown) => {
      this.onError(error, { stage: "dedupe", message });
      return answer;
    };
    try {
      const done = store.complete(key, answer, this.ttlSeconds);
      return isPromise(done) ? done.then(() => answer, failed) : answer;
    } catch (error) {
      return failed(error);
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

  /**
   * Runs the routes under the time budget; a late reply goes out as a customer-service message.
   * A route that answers synchronously needs no timer.
   */
  private run(message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    let result: Maybe<HandlerResult>;
    try {
      result = this.route(message, ctx);
    } catch (error) {
      this.onError(error, { stage: "route", message });
      return "";
    }
    if (!isPromise(result)) return this.replyXmlOrSuccess(message, result);
    const pending = result;
    return new Promise<string>((resolve) => {
      let answered = false;
      const timer = setTimeout(() => {
        answered = true;
        resolve("");
      }, this.budgetMs);
      pending.then(
        (value) => {
          if (answered) return this.deliverLate(message, ctx, value);
          answered = true;
          clearTimeout(timer);
          resolve(this.replyXmlOrSuccess(message, value));
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

  private replyXmlOrSuccess(message: InboundMessage, result: HandlerResult): string {
    try {
      return this.replyXml(message, result);
    } catch (error) {
      this.onError(error, { stage: "route", message });
      return "";
    }
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
