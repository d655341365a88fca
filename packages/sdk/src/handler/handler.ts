/**
 * The message handler an official account mounts on its server URL: `createHandler(options)` gives a
 * router (`.text()`, `.click()`, `.event()`…) whose `handle(request)` runs a push through the
 * envelope (verification, decryption), the de-duplication of retries, the time budget and the routes,
 * and seals the answer. Each concern has its file; this one wires them and holds the options.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { AnswerOnce } from "./answer-once.js";
import { type DedupeStore, MemoryDedupeStore } from "./dedupe.js";
import { isPromise, type Maybe } from "./maybe-async.js";
import { PushEnvelope, TEXT_HEADERS } from "./push-envelope.js";
import { Router } from "./router.js";
import { stringField, TimeBudget } from "./time-budget.js";
import type {
  CustomerMessageSender,
  HandlerContext,
  HandlerErrorInfo,
  HandlerRequest,
  HandlerResponse,
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
  private readonly envelope: PushEnvelope;
  private readonly budget: TimeBudget;
  /** Undefined when de-duplication is off. */
  private readonly once: AnswerOnce | undefined;
  private readonly onError: (error: unknown, info: HandlerErrorInfo) => void;
  private readonly now: () => number;

  constructor(options: HandlerOptions) {
    super();
    if (!options.token) throw new TypeError("createHandler: token is required");
    if (!options.appId) throw new TypeError("createHandler: appId is required");
    const onError = options.onError ?? defaultOnError;
    const now = options.now ?? Date.now;
    const budgetMs = options.budgetMs ?? 4500;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.onError = onError;
    this.now = now;
    this.envelope = new PushEnvelope({ ...options, maxBodyBytes: this.maxBodyBytes, now, onError });
    this.budget = new TimeBudget({
      budgetMs,
      fallback: options.fallback,
      onError,
      now,
      route: (message, ctx) => this.route(message, ctx),
    });
    const store = options.dedupe === false ? undefined : (options.dedupe ?? new MemoryDedupeStore());
    this.once =
      store &&
      new AnswerOnce({
        store,
        ttlSeconds: options.dedupeTtlSeconds ?? 120,
        budgetMs,
        onError,
        now,
        run: (message, ctx) => this.budget.run(message, ctx),
      });
  }

  /** Handles one HTTP request (bound: can be passed around as a function). */
  readonly handle = (request: HandlerRequest): Promise<HandlerResponse> => {
    try {
      const method = request.method.toUpperCase();
      if (method === "GET") return Promise.resolve(this.envelope.handshake(request.query));
      if (method !== "POST") {
        return Promise.resolve({
          status: 405,
          headers: { ...TEXT_HEADERS, allow: "GET, POST" },
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

  private push(request: HandlerRequest): Maybe<HandlerResponse> {
    const opened = this.envelope.open(request);
    if ("status" in opened) return opened;
    const { query } = request;
    const ctx: HandlerContext = {
      mode: opened.mode,
      query,
      openid: stringField(opened.message, "FromUserName"),
      receivedAt: this.now(),
      match: null,
      state: {},
    };
    const answer = this.answer(opened.message, ctx);
    return isPromise(answer)
      ? answer.then((xml) => this.envelope.seal(xml, opened, query))
      : this.envelope.seal(answer, opened, query);
  }

  /** The plain answer for a push ("" = success): at most one run of the routes per push. */
  private answer(message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    return this.once ? this.once.answer(message, ctx) : this.budget.run(message, ctx);
  }
}

/** Creates a message handler; register routes on it, then mount it with an adapter. */
export function createHandler(options: HandlerOptions): MessageHandler {
  return new MessageHandler(options);
}
