/**
 * Bounds on JSON where it enters the platform (the WeChat API's bodies in parse.ts, the simulator
 * API's content parser): nesting depth, checked by a linear scan before `JSON.parse` so that no
 * recursive code (validation, `JSON.stringify` when recording, redaction) ever meets a deep value;
 * text XML cannot carry (NUL and other C0 controls, lone surrogates, U+FFFE/U+FFFF), and
 * numbers beyond what JavaScript holds exactly (|n| > 2^53 - 1: `1e300` would reach a database
 * column or a clock), each found with the path of the field that holds it.
 */
import { isXmlText } from "@mpstack/protocol";

/**
 * Deepest nesting accepted (objects and arrays). WeChat's deepest bodies (conditional menus with
 * sub-buttons, news articles, template data) stay under 8 levels; 32 leaves room.
 */
export const MAX_JSON_DEPTH = 32;

/** Does the JSON text nest objects/arrays deeper than `max`? Strings are skipped; a linear scan. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The path (`content`, `articles[0].title`, a key itself) of the first string in `value` that
 * holds a character XML cannot carry, or null. Walks at most `MAX_JSON_DEPTH` levels (values come
 * from bounded JSON).
 */
export function findNonXmlText(value: unknown, path = "", depth = 0): string | null {
  if (typeof value === "string") return isXmlText(value) ? null : path || "(value)";
  // Bytes (an uploaded file's data) hold no text or numbers: walking a Buffer's indices would
  // visit every byte (seconds for a 10 MB upload).
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== "object" || ArrayBuffer.isView(value))
    return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonXmlText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (!isXmlText(k)) return at;
    const found = findNonXmlText(v, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The path of the first number in `value` beyond ±(2^53 - 1), or null. */
export function findUnsafeNumber(value: unknown, path = "", depth = 0): string | null {
  if (typeof value === "number") return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? null : path || "(value)";
  // Bytes (an uploaded file's data) hold no text or numbers: walking a Buffer's indices would
  // visit every byte (seconds for a 10 MB upload).
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== "object" || ArrayBuffer.isView(value))
    return null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v])
    : Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v]);
  for (const [at, v] of entries) {
    const found = findUnsafeNumber(v, at, depth + 1);
    if (found) return found;
  }
  return null;
}
