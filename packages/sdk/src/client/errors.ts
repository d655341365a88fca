/**
 * Errors the client raises. Messages name the API path only: never a URL (its query may carry secrets).
 * WeChat's business errors build on the protocol's `WechatError`, the shape the platform answers with.
 */
import { ErrorCode, parseRid, TOKEN_ERROR_CODES, WechatError } from "@mpstack/protocol";

/**
 * From the protocol, for callers: `parseRid` reads the request id WeChat appends to errmsg
 * (" rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"); `TOKEN_ERROR_CODES` are the codes after which the client
 * refreshes the token and retries once (spec/basics.md §1.4); `WechatError` is the base of
 * `WechatApiError`, the shape the platform answers with too.
 */
export { parseRid, TOKEN_ERROR_CODES, WechatError };

/** WeChat's "system busy" errcode: the client backs off briefly and retries once. */
export const BUSY_ERRCODE: number = ErrorCode.SystemError;

/**
 * A business error answered by WeChat (or the platform): a body with a non-zero `errcode`. `errmsg`
 * is the received text verbatim (rid suffix included); `rid` is that suffix's request id.
 */
export class WechatApiError extends WechatError {
  /** The API path called, without query string, e.g. `/cgi-bin/menu/create`. */
  readonly path: string;

  constructor(init: { errcode: number; errmsg: string; path: string }) {
    super(init.errcode, { errmsg: init.errmsg, rid: parseRid(init.errmsg) });
    this.message = `${init.path} failed with errcode ${init.errcode}: ${init.errmsg}`;
    this.name = "WechatApiError";
    this.path = init.path;
  }
}

/** A transport failure: network error, timeout, non-2xx status without an errcode, unreadable body. */
export class WechatRequestError extends Error {
  readonly path: string;
  /** HTTP status when a response arrived. */
  readonly status: number | undefined;

  constructor(message: string, init: { path: string; status?: number; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "WechatRequestError";
    this.path = init.path;
    this.status = init.status;
  }
}
