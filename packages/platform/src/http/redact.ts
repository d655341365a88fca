/**
 * Redaction of what the journal keeps of a call: access tokens and secrets never reach it, in the
 * query string or in a JSON body at any depth.
 */
const SECRET_KEYS = new Set([
  "access_token",
  "secret",
  "appsecret",
  "component_access_token",
  "component_appsecret",
]);

/** A query string with secret values replaced by `***` (tokens and secrets never reach the journal). */
export function redactQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      parts.push(`${formEncode(k)}=${SECRET_KEYS.has(k) ? "***" : formEncode(String(one ?? ""))}`);
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

/** A JSON text with secret fields (at any depth) replaced by `***`; non-JSON text is kept. */
export function redactJsonText(text: string): string {
  if (!/"(access_token|secret|appsecret|component_access_token|component_appsecret)"/.test(text)) return text;
  try {
    return JSON.stringify(redactValue(JSON.parse(text)));
  } catch {
    return text;
  }
}

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.has(k) ? "***" : redactValue(x)]),
    );
  }
  return v;
}
