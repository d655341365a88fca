/**
 * Redaction: access tokens and secrets never reach the journal or the log.
 *
 * - The journal (`redactQuery`, `redactJsonText`) redacts on meaning: a JSON body is parsed and
 *   every secret field (at any depth, however its key is escaped — `"\u0073ecret"` is `secret`)
 *   becomes `***`. A body that does not parse (truncated, trailing comma, too deep) is redacted by
 *   pattern after its `\uXXXX` escapes are decoded.
 * - The log (`redactLogLine`) runs over every line the platform's logger writes, whoever wrote it
 *   (our code, Fastify, a module): `key=value` and `"key":"value"` pairs of secret keys are masked.
 */
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-limits.js";

const SECRET_KEYS = new Set([
  "access_token",
  "secret",
  "appsecret",
  "component_access_token",
  "component_appsecret",
]);

const isSecretKey = (k: string) => SECRET_KEYS.has(k.toLowerCase());

/** A query string with secret values replaced by `***` (tokens and secrets never reach the journal). */
export function redactQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      parts.push(`${formEncode(k)}=${isSecretKey(k) ? "***" : formEncode(String(one ?? ""))}`);
    }
  }
  return parts.join("&");
}

/** Characters `URLSearchParams` leaves as they are. */
const FORM_SAFE = /^[A-Za-z0-9*\-._]*$/;

/** `URLSearchParams`' encoding of one key or value; most need none (a URLSearchParams each was a visible cost). */
function formEncode(text: string): string {
  return FORM_SAFE.test(text) ? text : new URLSearchParams([["", text]]).toString().slice(1);
}

/** Could this text name a secret key at all (plainly, or through an escape)? Most bodies cannot. */
const MAY_NAME_SECRET = /secret|access_token|\\/i;

/**
 * A JSON text with secret fields (at any depth) replaced by `***`. Text that names no secret is
 * kept byte for byte; text that does not parse is redacted by pattern.
 */
export function redactJsonText(text: string): string {
  if (!MAY_NAME_SECRET.test(text)) return text;
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) return redactUnparsed(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return redactUnparsed(text);
  }
  return hasSecretKey(value) ? JSON.stringify(redactValue(value)) : text;
}

function hasSecretKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasSecretKey);
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) if (isSecretKey(k) || hasSecretKey(x)) return true;
  }
  return false;
}

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, isSecretKey(k) ? "***" : redactValue(x)]),
    );
  }
  return v;
}

/** Text that is not JSON: decode `\uXXXX` escapes (so an escaped key is seen), then mask by pattern. */
function redactUnparsed(text: string): string {
  const decoded = text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return maskPairs(decoded, JOURNAL_PATTERN);
}

const keyAlternation = (keys: readonly string[]) => keys.map((k) => k.replace(/[-]/g, "\\-")).join("|");

/**
 * `key=value`, `"key":"value"`, `\"key\":\"value\"`, `key: value`: the key (any case), then
 * quotes, backslashes and spaces around `=` or `:`, then the value up to a delimiter.
 */
const pairPattern = (keys: readonly string[]) =>
  new RegExp(`((?:${keyAlternation(keys)})["'\\\\\\s]*[:=]\\s*["'\\\\]*)([^"'\\\\&\\s,;}\\]]+)`, "gi");

const JOURNAL_PATTERN = pairPattern([...SECRET_KEYS]);

/** Keys whose values a log line never shows (broader than the journal's: server keys, the admin key). */
const LOG_PATTERN = pairPattern([
  ...SECRET_KEYS,
  "refresh_token",
  "encodingaeskey",
  "encoding_aes_key",
  "aeskey",
  "x-mpstack-admin-key",
  "admin-key",
  "adminkey",
  "authorization",
  "password",
  "token",
]);

function maskPairs(text: string, pattern: RegExp): string {
  return text.replace(pattern, (_m, head: string, value: string) => (value === "***" ? _m : `${head}***`));
}

/** One log line with the values of secret keys masked (the logger's last step before writing). */
export function redactLogLine(line: string): string {
  return maskPairs(line.replace(/(Bearer\s+)[^\s"'\\,;}]+/gi, "$1***"), LOG_PATTERN);
}
