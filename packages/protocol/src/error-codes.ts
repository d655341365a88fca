/**
 * WeChat's return codes (spec/basics.md §8 and the error tables of users.md, menu.md,
 * qrcode-shorturl.md, customer-service.md and material.md), as data.
 *
 * `errmsg` is WeChat's own English text, word for word, where the spec quotes one (`quoted: true`):
 * SDKs match on some of them (EasyWeChat retries only on "access_token expired"). Where the spec has
 * no text, `errmsg` is a short phrase in the same style written for mpstack (`quoted: false`), or
 * the wording of WeChat's own doc page for the API where it gives one (most 760xx codes).
 *
 * The platform answers with these texts and the SDK recognises them: this is the one table.
 */

import { APPLIED_ERRORS } from "./errors/applied.js";
import { AREA_ERRORS } from "./errors/areas.js";
import type { ErrorCodeInfo } from "./errors/entry.js";
import { GENERAL_ERRORS } from "./errors/general.js";

export type { ErrorCodeInfo } from "./errors/entry.js";

const TABLE = { ...GENERAL_ERRORS, ...AREA_ERRORS, ...APPLIED_ERRORS };

type Table = typeof TABLE;
export type ErrorCodeName = keyof Table;

/** Named codes: `ErrorCode.InvalidCredential === 40001`. */
export const ErrorCode = Object.fromEntries(Object.entries(TABLE).map(([name, e]) => [name, e.code])) as {
  readonly [K in ErrorCodeName]: Table[K]["code"];
};
export type KnownErrorCode = Table[ErrorCodeName]["code"];

/** Every known code → its WeChat errmsg and meaning. */
export const ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = Object.fromEntries(
  Object.values(TABLE).map(({ code, errmsg, meaning, quoted }) => [code, { errmsg, meaning, quoted }]),
);

export function isKnownErrorCode(code: number): code is KnownErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * The errmsg WeChat sends for a code (no rid). `vars` fill `{name}` placeholders (40164 takes `ip`;
 * WeChat writes `1.2.3.4 ipv6 ::ffff:1.2.3.4` there nowadays). Unfilled placeholders stay visible.
 * Unknown codes give "system error", WeChat's fallback text.
 */
export function errmsgFor(code: number, vars?: Readonly<Record<string, string>>): string {
  const text = ERROR_CODES[code]?.errmsg ?? "system error";
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/**
 * The errmsg to answer with when no per-call value is known: the table's text, `vars` filled, and a
 * placeholder left unfilled dropped with its space (40164 → `invalid ip, not in whitelist`).
 */
export function errmsgText(code: number, vars?: Readonly<Record<string, string>>): string {
  const text = errmsgFor(code, vars);
  return text.includes("{") ? text.replace(/ ?\{\w+\}/g, "") : text;
}

/**
 * Codes after which SDKs fetch a new token and retry once (spec/basics.md §1.4: wechatpy, WxJava and
 * PowerWeChat all use these three).
 */
export const TOKEN_ERROR_CODES: readonly number[] = [
  TABLE.InvalidCredential.code,
  TABLE.InvalidAccessToken.code,
  TABLE.AccessTokenExpired.code,
];
