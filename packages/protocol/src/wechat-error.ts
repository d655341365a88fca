/**
 * WeChat's error, one shape for both sides: the platform throws it and answers with its body; the
 * SDK reads a received body into it (its `WechatApiError` extends this class). Texts come from the
 * error-code table; the body's errmsg carries the request id as WeChat prints it (spec/basics.md §1.3).
 */
import { errmsgText } from "./error-codes.js";

/** `{"errcode":N,"errmsg":"…"}` — WeChat's error (and write-success) body. */
export interface WechatErrorBody {
  errcode: number;
  errmsg: string;
}

export interface WechatErrorInit {
  /**
   * The errmsg as it travels: a received one verbatim (with WeChat's ` rid: …`), or the text to answer
   * with, e.g. a policy's older wording or 47003 naming the field. Default: the table's text.
   */
  errmsg?: string;
  /** Values of the table text's `{name}` placeholders (see `errmsgFor`). */
  vars?: Readonly<Record<string, string>>;
  /** The request id the error was answered with. */
  rid?: string;
  /** Fields beside errcode and errmsg in the body (some errors carry data, e.g. 45065's msgid). */
  extra?: Readonly<Record<string, unknown>>;
}

export class WechatError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  readonly rid: string | undefined;
  readonly extra: Readonly<Record<string, unknown>> | undefined;

  constructor(errcode: number, init: WechatErrorInit = {}) {
    const errmsg = init.errmsg ?? errmsgText(errcode, init.vars);
    super(`${errcode} ${errmsg}`);
    this.name = "WechatError";
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.rid = init.rid;
    this.extra = init.extra;
  }

  /**
   * The body: `{errcode, errmsg, ...extra}`, with ` rid: <rid>` appended to errmsg when answering a
   * call with `rid` (a received error's errmsg already carries its own).
   */
  toBody(rid?: string): WechatErrorBody & Readonly<Record<string, unknown>> {
    const errmsg = rid === undefined ? this.errmsg : `${this.errmsg} rid: ${rid}`;
    return { errcode: this.errcode, errmsg, ...this.extra };
  }

  /** The error a received body describes: errmsg verbatim, its rid split off, other fields as `extra`. */
  static fromBody(body: WechatErrorBody & Readonly<Record<string, unknown>>): WechatError {
    const { errcode, errmsg, ...rest } = body;
    const extra = Object.keys(rest).length > 0 ? rest : undefined;
    return new WechatError(errcode, { errmsg, rid: parseRid(errmsg), extra });
  }
}

/**
 * Split a received errmsg into WeChat's text and its diagnostic suffix: the current ` rid: …`
 * (sometimes after a comma) or the older ` hint: [...]`.
 */
export function splitErrmsg(errmsg: string): { text: string; rid?: string; hint?: string } {
  const rid = /(?:^|,\s*|\s+)rid:\s*([0-9A-Za-z-]+)\s*$/.exec(errmsg);
  if (rid?.[1]) return { text: errmsg.slice(0, rid.index), rid: rid[1] };
  const hint = /,?\s*hint:\s*\[([^\]]*)\]\s*$/.exec(errmsg);
  if (hint?.[1] !== undefined) return { text: errmsg.slice(0, hint.index), hint: hint[1] };
  return { text: errmsg };
}

/** The request id WeChat appends to a received errmsg (` rid: xxxxxxxx-xxxxxxxx-xxxxxxxx`), if any. */
export function parseRid(errmsg: string): string | undefined {
  return splitErrmsg(errmsg).rid;
}
