/**
 * The 5-second rule: routes run under a time budget; an answer ready in time becomes the passive
 * reply's XML, a later one goes out as a customer-service message through the fallback sender (or is
 * reported as stage "budget" when there is none). Errors of routes answer "success".
 */
import { buildReplyXml, type InboundMessage, type Reply } from "@mpstack/protocol";
import { isPromise, type Maybe } from "./maybe-async.js";
import type { CustomerMessageSender, HandlerContext, HandlerErrorInfo, HandlerResult } from "./types.js";

export function stringField(message: InboundMessage, name: string): string {
  const value = message.raw[name];
  return typeof value === "string" ? value : "";
}

function toReply(result: HandlerResult): Reply | undefined {
  if (result === undefined || result === null || result === "") return undefined;
  if (typeof result === "string") return { type: "text", content: result };
  return result;
}

export interface TimeBudgetOptions {
  budgetMs: number;
  fallback: CustomerMessageSender | undefined;
  onError: (error: unknown, info: HandlerErrorInfo) => void;
  now: () => number;
  /** The routes: what a push's message is answered with. */
  route: (message: InboundMessage, ctx: HandlerContext) => Maybe<HandlerResult>;
}

export class TimeBudget {
  readonly budgetMs: number;
  private readonly fallback: CustomerMessageSender | undefined;
  private readonly onError: (error: unknown, info: HandlerErrorInfo) => void;
  private readonly now: () => number;
  private readonly route: TimeBudgetOptions["route"];

  constructor(options: TimeBudgetOptions) {
    this.budgetMs = options.budgetMs;
    this.fallback = options.fallback;
    this.onError = options.onError;
    this.now = options.now;
    this.route = options.route;
  }

  /**
   * Runs the routes: the reply XML ("" = success) once they answer or the budget ends. A route that
   * answers synchronously needs no timer.
   */
  run(message: InboundMessage, ctx: HandlerContext): Maybe<string> {
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
    const sender = this.fallback;
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
