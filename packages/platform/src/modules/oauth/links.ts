/**
 * The authorize link as WeChat reads it (spec/oauth.md §2): the raw query in order (for the strict
 * checks of parameter order and percent-encoding), the redirect-domain rule, and the redirect back
 * with `code`/`state` placed before any `#fragment` of the callback (§2.2).
 */

/** The documented order of the five base parameters. */
const ORDER = ["appid", "redirect_uri", "response_type", "scope", "state"] as const;

export interface RawQuery {
  /** Decoded values, first occurrence of each name. */
  values: Map<string, string>;
  /** Raw (still percent-encoded) values, first occurrence. */
  raw: Map<string, string>;
  /** Parameter names in the order they appear. */
  names: string[];
}

/** Parse a request URL's query; null when a value's percent-encoding is broken. */
export function parseRawQuery(url: string): RawQuery | null {
  const q = url.indexOf("?");
  const out: RawQuery = { values: new Map(), raw: new Map(), names: [] };
  if (q < 0) return out;
  const hash = url.indexOf("#", q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  for (const part of query.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "));
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      return null;
    }
    if (out.values.has(name)) continue;
    out.values.set(name, value);
    out.raw.set(name, rawValue);
    out.names.push(name);
  }
  return out;
}

/** Why a link fails the strict checks (order, encoding, state), or null when it passes. */
export function strictProblem(q: RawQuery): string | null {
  const present = q.names.filter((n) => (ORDER as readonly string[]).includes(n));
  const expected = ORDER.filter((n) => q.values.has(n));
  if (present.join() !== expected.join() || q.names.slice(0, present.length).join() !== present.join())
    return `parameters must come first and in the order ${ORDER.join(", ")}`;
  if (/[:/?#]/.test(q.raw.get("redirect_uri") ?? "")) return "redirect_uri must be percent-encoded";
  const state = q.values.get("state") ?? "";
  if (!/^[a-zA-Z0-9]*$/.test(state)) return "state may hold only a-z, A-Z and 0-9";
  return null;
}

/** An absolute http(s) URL, or null. */
export function httpUrl(text: string): URL | null {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/**
 * Is the callback's host one of the account's authorization domains? The full host name must be
 * equal (no sub- or parent-domain matches, §1). A domain written with a port matches that port
 * only; without one it matches any port (emulator choice: local servers move between ports).
 */
export function inOAuthDomains(u: URL, domains: readonly string[]): boolean {
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return domains.some((d) => {
    const entry = d.trim().toLowerCase();
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) return false;
    return m[1] === host && (m[2] === undefined || m[2] === port);
  });
}

/** `uri` with the parameters added to its query, before any fragment (§2.2). */
export function withParams(uri: string, params: [string, string][]): string {
  const hash = uri.indexOf("#");
  const base = hash < 0 ? uri : uri.slice(0, hash);
  const fragment = hash < 0 ? "" : uri.slice(hash);
  const qs = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  const sep = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${sep}${qs}${fragment}`;
}
