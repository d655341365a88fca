/** Errors the client raises. Messages name the API path only: never a URL (its query may carry secrets). */

/** Token errors after which the client refreshes the token and retries once (spec/basics.md §1.4). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** WeChat's "system busy" errcode: the client backs off briefly and retries once. */
export const BUSY_ERRCODE = -1;

/** Extracts the request id WeChat appends to errmsg (" rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"). */
export function parseRid(errmsg: string): string | undefined {
  const match = /[\s,]rid:\s*([0-9A-Za-z-]+)\s*$/.exec(errmsg) ?? /^rid:\s*([0-9A-Za-z-]+)\s*$/.exec(errmsg);
  return match?.[1];
}

/** A business error answered by WeChat (or the platform): a body with a non-zero `errcode`. */
export class WechatApiError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  readonly rid: string | undefined;
  /** The API path called, without query string, e.g. `/cgi-bin/menu/create`. */
  readonly path: string;

  constructor(init: { errcode: number; errmsg: string; path: string }) {
    super(`${init.path} failed with errcode ${init.errcode}: ${init.errmsg}`);
    this.name = "WechatApiError";
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.rid = parseRid(init.errmsg);
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
