/**
 * De-duplication of retried pushes around the routes (the keys and stores are in `dedupe.ts`): the
 * first delivery of a push runs the routes and records the answer; a retry gets the same answer,
 * waiting for it while the first delivery is still running, here or in another process.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { type DedupeClaim, type DedupeStore, dedupeKey } from "./dedupe.js";
import { delay, isPromise, type Maybe, within } from "./maybe-async.js";
import type { HandlerContext, HandlerErrorInfo } from "./types.js";

const POLL_MS = 50;

export interface AnswerOnceOptions {
  store: DedupeStore;
  /** How long a push's answer is remembered. */
  ttlSeconds: number;
  /** How long a retry waits for the first delivery's answer before answering "success". */
  budgetMs: number;
  onError: (error: unknown, info: HandlerErrorInfo) => void;
  now: () => number;
  /** Runs the routes: the answer of a first delivery. */
  run: (message: InboundMessage, ctx: HandlerContext) => Maybe<string>;
}

export class AnswerOnce {
  private readonly store: DedupeStore;
  private readonly ttlSeconds: number;
  private readonly budgetMs: number;
  private readonly onError: (error: unknown, info: HandlerErrorInfo) => void;
  private readonly now: () => number;
  private readonly run: AnswerOnceOptions["run"];
  /** Answers being computed in this process, by dedupe key: retries wait on them. */
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(options: AnswerOnceOptions) {
    this.store = options.store;
    this.ttlSeconds = options.ttlSeconds;
    this.budgetMs = options.budgetMs;
    this.onError = options.onError;
    this.now = options.now;
    this.run = options.run;
  }

  /** The plain answer for a push ("" = success), running the routes at most once per push. */
  answer(message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    const key = dedupeKey(message.raw);
    if (key === undefined) return this.run(message, ctx);

    const local = this.inflight.get(key);
    if (local) return within(local, this.budgetMs, "");

    let claimed: Maybe<DedupeClaim>;
    try {
      claimed = this.store.claim(key, this.ttlSeconds);
    } catch (error) {
      return this.unclaimed(error, message, ctx);
    }
    if (!isPromise(claimed)) return this.claimed(key, claimed, message, ctx);
    return claimed.then(
      (claim) => this.claimed(key, claim, message, ctx),
      (error: unknown) => this.unclaimed(error, message, ctx),
    );
  }

  /** A broken store must not silence the account: answer, at the risk of a duplicate run. */
  private unclaimed(error: unknown, message: InboundMessage, ctx: HandlerContext): Maybe<string> {
    this.onError(error, { stage: "dedupe", message });
    return this.run(message, ctx);
  }

  private claimed(
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
    if (!isPromise(running)) return this.remember(key, running, message);
    // Retries arriving meanwhile in this process wait on the same promise.
    const shared = running.then((answer) => this.remember(key, answer, message));
    this.inflight.set(key, shared);
    return shared.finally(() => this.inflight.delete(key));
  }

  /** Records the answer for later retries; resolves to the answer either way. */
  private remember(key: string, answer: string, message: InboundMessage): Maybe<string> {
    const failed = (error: unknown) => {
      this.onError(error, { stage: "dedupe", message });
      return answer;
    };
    try {
      const done = this.store.complete(key, answer, this.ttlSeconds);
      return isPromise(done) ? done.then(() => answer, failed) : answer;
    } catch (error) {
      return failed(error);
    }
  }

  /** Waits for another process's answer until `deadline`; "success" if it does not come in time. */
  private async poll(key: string, deadline: number): Promise<string> {
    while (this.now() < deadline) {
      await delay(Math.min(POLL_MS, Math.max(1, deadline - this.now())));
      try {
        const answer = await this.store.lookup(key);
        if (answer !== undefined) return answer;
      } catch {
        // keep waiting; the deadline bounds it
      }
    }
    return "";
  }
}
