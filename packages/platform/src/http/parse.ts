/**
 * Turning a request into the endpoint's typed input, and validation errors into WeChat codes.
 * Missing or wrongly typed fields answer the field's own code where WeChat has one (41002 appid
 * missing, 40013 invalid appid, …) and 47001 `data format error` otherwise.
 */
import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { Value } from "@sinclair/typebox/value";
import { WechatApiError } from "./errors.js";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-limits.js";

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
      if (compiled.Check(v)) return v;
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
  return parsed as Record<string, unknown>;
}
