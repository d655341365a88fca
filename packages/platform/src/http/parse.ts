/**
 * Turning a request into the endpoint's typed input, and validation errors into WeChat codes.
 * Missing or wrongly typed fields answer the field's own code where WeChat has one (41002 appid
 * missing, 40013 invalid appid, …) and 47001 `data format error` otherwise.
 */
import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { Value } from "@sinclair/typebox/value";
import { WechatApiError } from "./errors.js";
import { findNonXmlText, findUnsafeNumber, jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-limits.js";

/** Codes for a missing field, by field name (or dotted path). */
export const MISSING_FIELD_CODES: Record<string, number> = {
  access_token: 41001,
  appid: 41002,
  secret: 41004,
  grant_type: 40002,
  refresh_token: 41003,
  media_id: 41006,
  code: 41008,
  openid: 41009,
};

/** Codes for a present but invalid field. */
export const INVALID_FIELD_CODES: Record<string, number> = {
  access_token: 40014,
  appid: 40013,
  grant_type: 40002,
  openid: 40003,
  media_id: 40007,
  refresh_token: 40030,
  code: 40029,
};

/**
 * Codes for a field holding text XML cannot carry (NUL and other control characters, lone
 * surrogates, U+FFFE/U+FFFF): WeChat refuses invalid text as an invalid value of the field —
 * `invalid tag name`, `invalid remark name`, `invalid openid`… — and 47001 (the endpoint's schema
 * code) where the field has no code of its own. (Emulator choice: PostgreSQL cannot even hold NUL,
 * and such text could never reach a push or a phone.)
 */
export const INVALID_TEXT_CODES: Record<string, number> = {
  ...INVALID_FIELD_CODES,
  "tag.name": 45157,
  "group.name": 40051,
  remark: 40092,
  touser: 40003,
  openid_list: 40003,
  begin_openid: 40003,
  next_openid: 40003,
};

/** The field of `fields` holding text XML cannot carry, answered with its code; nothing if none. */
export function checkFieldText(
  fields: Record<string, unknown>,
  codes: FieldCodes = {},
  fallback = 47001,
): void {
  const at = findNonXmlText(fields);
  if (at === null) return;
  const segments = at
    .replace(/\[\d+\]/g, "")
    .split(".")
    .filter(Boolean);
  const table = { ...INVALID_TEXT_CODES, ...codes.invalid };
  throw new WechatApiError(table[segments.join(".")] ?? table[segments.at(-1) ?? ""] ?? fallback);
}

export interface FieldCodes {
  missing?: Record<string, number>;
  invalid?: Record<string, number>;
}

export interface Validator {
  check(value: unknown, coerce: boolean): unknown;
}

/**
 * `fallback`: the code for a body that fails the schema where no field code applies (the endpoint's
 * schemaErrcode); `fallbackOnly`: answer every failure with it (the agreement check after a parse step).
 */
export function compileValidator(
  schema: TSchema,
  codes: FieldCodes = {},
  fallback = 47001,
  fallbackOnly = false,
): Validator {
  // Compiled on first use: start time stays flat however many endpoints the catalog has.
  let compiled: TypeCheck<TSchema> | undefined;
  const missing = { ...MISSING_FIELD_CODES, ...codes.missing };
  const invalid = { ...INVALID_FIELD_CODES, ...codes.invalid };
  return {
    check(value, coerce) {
      compiled ??= TypeCompiler.Compile(schema);
      const v = coerce ? Value.Convert(schema, value) : value;
      // A query's "1e300" converts to a number no integer column or clock can hold.
      if (compiled.Check(v) && (!coerce || findUnsafeNumber(v) === null)) return v;
      const first = compiled.Errors(v).First();
      const segments = (first?.path ?? "").split("/").filter(Boolean);
      const dotted = segments.join(".");
      const leaf = segments.at(-1) ?? "";
      const isMissing = first?.value === undefined;
      const table = isMissing ? missing : invalid;
      const code = fallbackOnly ? fallback : (table[dotted] ?? table[leaf] ?? fallback);
      throw new WechatApiError(code);
    },
  };
}

/**
 * JSON body → object, or the WeChat error for an empty/garbled body. Nesting deeper than
 * `MAX_JSON_DEPTH` is garbled too (47001), refused before parsing: no recursive code downstream
 * (validation, recording, redaction) ever meets an unbounded value.
 */
export function parseJsonBody(raw: Buffer | undefined): Record<string, unknown> {
  const text = raw?.toString("utf8") ?? "";
  if (text.trim() === "") throw new WechatApiError(44002);
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new WechatApiError(47001);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WechatApiError(47001);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new WechatApiError(47001);
  // 1e300 as a tag id: not a number WeChat (int64) or JavaScript could hold; garbled too.
  if (findUnsafeNumber(parsed) !== null) throw new WechatApiError(47001);
  return parsed as Record<string, unknown>;
}
