/**
 * WeChat errors as values, and the one place that sends them. Handlers `throw new
 * WechatApiError(code)`; `sendWechatError` answers `{"errcode":code,"errmsg":"<text> rid: <rid>"}`. The text comes from `@mpstack/protocol`'s
 * `ERROR_CODES`; the small table below backs up the codes the core itself answers (and texts with
 * `{placeholders}`, which a thrower fills by passing its own text).
 */
import { ERROR_CODES } from "@mpstack/protocol";
import type { FastifyBaseLogger, FastifyReply } from "fastify";

/** errmsg texts the core needs, word for word as spec/basics.md §8 records them. */
const CORE_ERRMSG: Record<number, string> = {
  [-1]: "system error",
  0: "ok",
  40001: "invalid credential, access_token is invalid or not latest",
  40002: "invalid grant_type",
  40003: "invalid openid",
  40013: "invalid appid",
  40014: "invalid access_token",
  40066: "invalid url",
  40125: "invalid appsecret",
  40164: "invalid ip, not in whitelist",
  40243: "appsecret frozen",
  41001: "access_token missing",
  41002: "appid missing",
  41004: "appsecret missing",
  41009: "missing openid",
  42001: "access_token expired",
  43001: "require GET method",
  43002: "require POST method",
  44002: "empty post data",
  45009: "reach max api daily quota limit",
  45011: "api minute-quota reach limit must slower retry next minute",
  47001: "data format error",
  48001: "api unauthorized",
  48006: "forbid to clear quota because of reaching the limit",
  50004: "user not allow to use accesstoken, maybe for punishment",
  61004: "access clientip is not registered, not in ip-white-list",
  76001: "rid not found",
  76002: "rid is error",
  76003: "rid is not belong to the appid",
  76004: "rid is expired",
  76021: "cgi_path not found, please check",
  76022: "could not use this cgi_path，no permission",
};

export function errmsgText(code: number): string {
  const fromShared = ERROR_CODES[code]?.errmsg;
  if (fromShared && !fromShared.includes("{")) return fromShared;
  // Unknown codes: WeChat's fallback text.
  return CORE_ERRMSG[code] ?? fromShared ?? "system error";
}

export class WechatApiError extends Error {
  readonly errcode: number;
  /** Overrides the standard text, e.g. `invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist`. */
  readonly errmsg: string;
  /** Extra fields sent beside errcode/errmsg (some errors carry data, e.g. 45065's msgid). */
  readonly extra: Record<string, unknown> | undefined;
  /**
   * The account the failed call belongs to when the error itself identifies it (an expired or
   * superseded token of a known account), so the journal files the call under that account.
   */
  ownerAppid: string | undefined;
  /** The HTTP status of the answer: 200 for nearly every WeChat error (showqrcode answers 404). */
  readonly status: number;

  constructor(errcode: number, errmsg?: string, extra?: Record<string, unknown>, status = 200) {
    const text = errmsg ?? errmsgText(errcode);
    super(`${errcode} ${text}`);
    this.name = "WechatApiError";
    this.errcode = errcode;
    this.errmsg = text;
    this.extra = extra;
    this.status = status;
  }
}

/** The WeChat error body: `errmsg` carries the request id suffix (spec/basics.md §1.3). */
export function errorBody(err: WechatApiError, rid: string): Record<string, unknown> {
  return { errcode: err.errcode, errmsg: `${err.errmsg} rid: ${rid}`, ...err.extra };
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
  return sendWechatJson(reply, errorBody(err, rid), rid, err.status);
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
