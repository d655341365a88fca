/** JSON as WeChat wants it: raw UTF-8 out, exact 64-bit integers in. */

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/**
 * JSON.stringify already writes non-ASCII characters as raw UTF-8; it escapes only lone surrogates
 * (as `\udXXX`), which WeChat rejects like any `\u` escape (40033). Those cannot be encoded in UTF-8
 * anyway, so they become U+FFFD.
 */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "string" && ANY_SURROGATE.test(v) ? v.replace(LONE_SURROGATES, "\uFFFD") : v,
  );
  return text ?? "{}";
}

/**
 * JSON.parse, except that integers beyond 2^53 (64-bit ids such as msg_data_id) come back as strings
 * instead of silently losing digits. The fast path is plain JSON.parse.
 */
export function parseJson(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Quotes integer literals outside the safe range; walks the text so string contents stay untouched. */
function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < text.length && /[0-9.eE+-]/.test(text[i] as string)) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
    } else {
      i++;
    }
  }
  return out + text.slice(last);
}
