/**
 * Value rules of typed keywords (spec/template.md §7.1): category templates of template/send and
 * subscription notifications (bizsend) check each `data.<key>.value` against its keyword's rule and
 * answer `47003 argument invalid! data.<key>.value invalid` (or `… is empty`). Shared by both.
 * Lengths count characters (code points), as the documented limits do.
 */
import { ErrorCode } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import type { TemplateField } from "./library/library.js";

const chars = (s: string) => [...s].length;

/** A date: 2019年10月1日, 2019-10-01 or 2019/10/01 (month and day may have one digit). */
const DATE = String.raw`\d{4}(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2})`;
const CLOCK = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const TIME_POINT = new RegExp(`^(?:${DATE}\\s*)?${CLOCK}$`);
const DATE_POINT = new RegExp(`^${DATE}(?:\\s*${CLOCK})?$`);

/** A point, or a range of two points joined by `~` (both rules allow periods). */
const pointOrRange = (point: RegExp) => (v: string) => v.split("~").every((p) => point.test(p.trim()));

const HAN = /\p{Script=Han}/u;

/** Each rule: does a non-empty value pass? */
const RULES: Record<string, (v: string) => boolean> = {
  thing: (v) => chars(v) <= 20,
  number: (v) => /^[-+]?\d+(?:\.\d+)?$/.test(v) && v.replace(/\D/g, "").length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => chars(v) <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: pointOrRange(TIME_POINT),
  date: pointOrRange(DATE_POINT),
  amount: (v) => /^[￥¥$€£]?\d{1,10}(?:\.\d+)?元?$/.test(v.replaceAll(",", "")),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  car_number: (v) =>
    chars(v) <= 8 && /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9]?$/u.test(v),
  name: (v) => (HAN.test(v) ? chars(v) <= 10 : chars(v) <= 20 && /^[^\p{N}]+$/u.test(v)),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
  const: (v) => chars(v) <= 20,
};

export const KNOWN_RULES = Object.keys(RULES);

/** Whether a value fits its keyword's rule (unknown rules: anything up to 20 characters). */
export function fitsRule(rule: string, value: string): boolean {
  const check = RULES[rule] ?? RULES.thing;
  return check ? check(value) : true;
}

const invalid = (text: string) => new WechatApiError(ErrorCode.ArgumentInvalid, text);

/**
 * Check `data` against typed fields, in the template's keyword order: a missing or empty value →
 * `… is empty`, a value breaking its rule → `… invalid`. Keys not in the template are ignored.
 */
export function checkTypedData(
  fields: readonly TemplateField[],
  data: Record<string, { value: string }>,
): void {
  for (const f of fields) {
    const entry = Object.hasOwn(data, f.key) ? data[f.key] : undefined;
    const value = entry?.value ?? "";
    if (value === "") throw invalid(`argument invalid! data.${f.key}.value is empty`);
    if (f.rule !== undefined && !fitsRule(f.rule, value))
      throw invalid(`argument invalid! data.${f.key}.value invalid`);
  }
}
