/** Builds every URL the client requests: all of them start at the configured base URL. */
import { HOSTS, type HostKind } from "@mpstack/protocol";

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/**
 * Maps host kinds to origins. Without a base URL each kind goes to its WeChat host; with one, every
 * kind goes to it (the platform serves api, mp and open on one port). A base URL may carry a path
 * prefix (`http://localhost:8080/wechat`), which is kept.
 */
export function createUrlResolver(baseUrl: string | undefined): (host: HostKind, path: string) => string {
  const bases: Record<HostKind, string> = baseUrl
    ? { api: trimSlash(baseUrl), mp: trimSlash(baseUrl), open: trimSlash(baseUrl) }
    : { ...HOSTS };
  if (baseUrl) {
    const parsed = new URL(baseUrl); // throws on a malformed base URL, early
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new TypeError("baseUrl must be an http: or https: URL");
    }
  }
  return (host, path) => `${bases[host]}${checkPath(path)}`;
}

/** Paths are absolute paths on the host: no scheme, no `//host`, so nothing escapes the base URL. */
export function checkPath(path: string): string {
  if (!path.startsWith("/") || path.startsWith("//") || /[\s#]/.test(path) || path.includes("\\")) {
    throw new TypeError(
      `API path must be an absolute path such as /cgi-bin/menu/get (got ${JSON.stringify(path)})`,
    );
  }
  return path;
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

/** `?a=1&b=2` (empty string when nothing to send); objects are sent as raw-UTF-8 JSON. */
export function buildQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
