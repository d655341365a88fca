/**
 * The types the handler, its routes and its adapters share: request and response, route results,
 * per-push context, the late-reply sender, error reports.
 */
import type { InboundMessage, Reply, SecurityMode } from "@mpstack/protocol";

/** What the framework-agnostic core receives: the HTTP method, the query and the raw body. */
export interface HandlerRequest {
  method: string;
  /** Decoded query parameters (a repeated parameter keeps its first value). */
  query: Readonly<Record<string, string | undefined>>;
  /** The raw request body, exactly as received (UTF-8 XML for pushes, empty for GET). */
  body: string | Uint8Array;
}

/** What the core answers; adapters copy it onto their framework's response. */
export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a route may return: a passive reply, a string (a text reply), or nothing ("success"). */
// biome-ignore lint/suspicious/noConfusingVoidType: a route written as `async () => {}` returns Promise<void>.
export type HandlerResult = Reply | string | undefined | null | void;

/** Continues with the next matching route (or the default); resolves to what that route returned. */
export type Next = () => Promise<HandlerResult>;

/** Per-push information given to every route besides the message itself. */
export interface HandlerContext {
  /** How the push arrived (plaintext, compatible or safe mode). */
  readonly mode: SecurityMode;
  /** The push's query parameters. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The sender's OpenID (the push's FromUserName). */
  readonly openid: string;
  /** When the push was received (ms since the epoch, from the handler's clock). */
  readonly receivedAt: number;
  /** The result of the last RegExp a `text`/`click`/`eventKey`/`scan` route matched, if any. */
  match: RegExpExecArray | null;
  /** Free space for middleware to pass data down the chain. */
  readonly state: Record<string, unknown>;
}

export type RouteHandler<M extends InboundMessage = InboundMessage> = (
  message: M,
  ctx: HandlerContext,
  next: Next,
) => HandlerResult | Promise<HandlerResult>;

/**
 * Sends a reply as a customer-service message — how a reply that missed the time budget still
 * reaches the user. The API client satisfies it (see `customerMessageSender`), tests can pass a fake.
 */
export interface CustomerMessageSender {
  sendCustomerMessage(openid: string, reply: Reply): Promise<void>;
}

/** What went wrong, for `onError`; never includes the token or the EncodingAESKey. */
export interface HandlerErrorInfo {
  /** "route": a route threw; "budget": a reply came too late and could not be delivered;
   *  "fallback": the customer-service delivery failed; "request": the request was rejected; "dedupe": the dedupe store failed. */
  stage: "route" | "budget" | "fallback" | "request" | "dedupe";
  message?: InboundMessage;
}
