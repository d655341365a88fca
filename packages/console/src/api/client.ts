/**
 * The console's only door to the platform: the simulator API (`/_mpstack/…`), same-origin fetch.
 * Every state-changing request carries a JSON body with `content-type: application/json` (so a
 * cross-site page could not send it without a preflight); reads are plain GETs. When the platform
 * was started with an admin key, the key the operator typed is sent as `x-mpstack-admin-key`
 * (kept in sessionStorage only).
 */

export const SIM = "/_mpstack";
const KEY_STORE = "mpstack.adminKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error answer (e.g. the handshake report of a refused server setting). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function adminKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORE);
  } catch {
    return null;
  }
}

export function setAdminKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  } catch {
    // storage unavailable: the key is asked again
  }
}

export function authHeaders(): Record<string, string> {
  const key = adminKey();
  return key ? { "x-mpstack-admin-key": key } : {};
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...authHeaders() };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (method !== "GET") {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }
  const res = await fetch(withQuery(SIM + path, query), init);
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, parsed);
  }
  return parsed as T;
}

export const get = <T>(path: string, query?: Query) => request<T>("GET", path, undefined, query);
export const post = <T>(path: string, body?: unknown, query?: Query) => request<T>("POST", path, body, query);
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, body);
export const patch = <T>(path: string, body?: unknown, query?: Query) =>
  request<T>("PATCH", path, body, query);

/** `a/b` path segments, encoded. */
export const seg = (s: string) => encodeURIComponent(s);

/** A file as base64 (uploads travel as JSON). */
export async function fileToBase64(file: Blob): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = "";
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}
