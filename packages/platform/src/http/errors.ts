/**
 * WeChat errors as values, and the one place that sends them. Handlers `throw new
 * WechatApiError(code)`; `sendWechatError` answers `{"errcode":code,"errmsg":"<text> rid: <rid>"}`.
 * Texts come from `@mpstack/protocol`'s error table; a thrower passes its own text only when
 * WeChat's carries data (40164 names the caller's address).
 */
import { WechatError } from "@mpstack/protocol";
import type { FastifyBaseLogger, FastifyReply } from "fastify";

/**
 * The error a handler throws: protocol's `WechatError` (texts from its table) plus what only the
 * platform needs — the HTTP status of the answer and the account a failed call belongs to.
 */
export class WechatApiError extends WechatError {
  /**
   * The account the failed call belongs to when the error itself identifies it (an expired or
   * superseded token of a known account), so the journal files the call under that account.
   */
  ownerAppid: string | undefined;
  /** The HTTP status of the answer: 200 for nearly every WeChat error (showqrcode answers 404). */
  readonly status: number;

  /** `errmsg` replaces the table's text, e.g. `invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist`. */
  constructor(errcode: number, errmsg?: string, extra?: Record<string, unknown>, status = 200) {
    super(errcode, { ...(errmsg === undefined ? {} : { errmsg }), ...(extra ? { extra } : {}) });
    this.name = "WechatApiError";
    this.status = status;
  }
}

/** `{"errcode":0,"errmsg":"ok"}` plus fields — the success body of write calls. */
export function ok<T extends Record<string, unknown>>(fields?: T): { errcode: 0; errmsg: "ok" } & T {
  return { errcode: 0, errmsg: "ok", ...(fields as T) };
}

const JSON_TYPE = "application/json; encoding=utf-8";

/** Send a WeChat JSON body (as bytes, so Fastify keeps WeChat's exact content type: WxJava matches on it). */
export function sendWechatJson(reply: FastifyReply, body: unknown, rid: string, status = 200): string {
  const text = JSON.stringify(body);
  reply.code(status).header("content-type", JSON_TYPE).header("x-mpstack-rid", rid).send(Buffer.from(text));
  return text;
}

/** The one way a WeChat error leaves the platform. Returns the text sent (for the journal). */
export function sendWechatError(reply: FastifyReply, err: WechatApiError, rid: string): string {
  return sendWechatJson(reply, err.toBody(rid), rid, err.status);
}

/**
 * Any error as WeChat's: a WechatApiError as it is, Fastify's body errors as 47001 (45001 for a
 * too-large file), anything unexpected as -1 `system error` — logged with `where` (a path without
 * its query string: queries carry secrets), never shown.
 */
export function toWechatError(err: unknown, log: FastifyBaseLogger, where: string): WechatApiError {
  if (err instanceof WechatApiError) return err;
  const code = (err as { code?: unknown })?.code;
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return new WechatApiError(47001);
  if (code === "FST_REQ_FILE_TOO_LARGE") return new WechatApiError(45001);
  if (typeof code === "string" && code.startsWith("FST_")) return new WechatApiError(47001);
  // The client went away mid-body (or broke the framing under it): nobody reads this answer.
  if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE") return new WechatApiError(47001);
  log.error(
    {
      path: where.split("?")[0],
      err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
    },
    "api handler failed",
  );
  return new WechatApiError(-1);
}
