/**
 * One HTTP exchange with a developer's server (node:http/https, keep-alive): a hard deadline per
 * attempt (the connection is dropped when it passes, as WeChat does), a bounded answer body.
 */
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";

/** Largest answer read from a developer's server; beyond it the answer is abnormal. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export type ExchangeResult =
  | { kind: "answer"; status: number; body: string; latencyMs: number }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "too_large"; status: number; latencyMs: number }
  | { kind: "network_error"; error: string; latencyMs: number };

export interface Exchange {
  method: "GET" | "POST";
  /** Target URL with its query already set. */
  url: URL;
  body?: string;
  timeoutMs: number;
  /** Extra request headers (they replace the defaults of the same name, e.g. content-type). */
  headers?: Record<string, string>;
  /** Aborts the exchange (platform closing); the result is then a network error. */
  signal?: AbortSignal;
}

/**
 * Keep-alive agents of one platform, closed with it. An idle socket is dropped after 4 s (or one
 * second before the server's own `Keep-Alive: timeout`, which Node honours), before a server with
 * the common 5 s keep-alive closes it under a new request.
 */
export class Agents {
  readonly http = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  readonly https = new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export function exchange(agents: Agents, x: Exchange): Promise<ExchangeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const done = (r: ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      x.signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const timer = setTimeout(() => {
      done({ kind: "timeout", latencyMs: elapsed() });
      req?.destroy();
    }, x.timeoutMs);
    const onAbort = () => {
      done({ kind: "network_error", error: "aborted: the platform is closing", latencyMs: elapsed() });
      req?.destroy();
    };
    x.signal?.addEventListener("abort", onAbort);
    const secure = x.url.protocol === "https:";
    const body = x.body === undefined ? undefined : Buffer.from(x.body, "utf8");
    const headers: Record<string, string | number> = { "user-agent": "Mozilla/4.0", accept: "*/*" };
    if (body) {
      // The content type of real pushes is not documented; XML, never JSON (callback.md §3.1).
      headers["content-type"] = "text/xml; charset=utf-8";
      headers["content-length"] = body.length;
    }
    for (const [k, v] of Object.entries(x.headers ?? {})) headers[k.toLowerCase()] = v;
    // Sent once. A request that fails, even on a kept-alive socket the server closed meanwhile, is
    // never sent again here: the server may have read it, and every delivery it receives must be
    // a recorded attempt (the engine retries, at most `attempts` times, each one recorded).
    const send = () => {
      const current = (secure ? https : http).request(x.url, {
        method: x.method,
        headers,
        agent: secure ? agents.https : agents.http,
      });
      req = current;
      current.on("error", (err) =>
        done({ kind: "network_error", error: describe(err), latencyMs: elapsed() }),
      );
      current.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            done({ kind: "too_large", status: res.statusCode ?? 0, latencyMs: elapsed() });
            current.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          done({
            kind: "answer",
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            latencyMs: elapsed(),
          }),
        );
        res.on("error", (err) => done({ kind: "network_error", error: describe(err), latencyMs: elapsed() }));
      });
      current.end(body);
    };
    if (x.signal?.aborted) onAbort();
    else send();
  });
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${code}: ${err.message}` : err.message;
}

/** The URL with the given query parameters added (a developer URL may carry its own query). */
export function withQuery(base: string, query: Record<string, string>): URL {
  const url = new URL(base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

/** Random decimal digits (nonces, echostr). */
export function randomDigits(n: number): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  while (s.length < n) s += String(Math.floor(Math.random() * 10));
  return s;
}
