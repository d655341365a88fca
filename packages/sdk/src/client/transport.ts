/** One HTTP exchange with WeChat: timeout, secret redaction, and reading JSON or binary answers. */
import { Readable } from "node:stream";
import { WechatApiError, WechatRequestError } from "./errors.js";
import { parseJson } from "./json.js";

export type FetchFn = typeof fetch;
export type RequestBody = string | Blob | AsyncIterable<Uint8Array>;

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  /** The path for errors: never the URL, whose query may hold the secret or the token. */
  path: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  timeoutMs: number;
}

/** A downloaded file. */
export interface MediaFile {
  data: Buffer;
  contentType: string;
  /** From Content-Disposition, when the server sent one. */
  filename: string | undefined;
}

/** A download still streaming; consume `stream` (or destroy it) to free the connection. */
export interface MediaStream {
  stream: Readable;
  contentType: string;
  filename: string | undefined;
  contentLength: number | undefined;
}

/** A call's answer: a value, or WeChat's error (kept apart so the caller can decide to retry). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: WechatApiError };

export class Transport {
  readonly #fetch: FetchFn;
  readonly #redact: (text: string) => string;

  constructor(fetchFn: FetchFn, redact: (text: string) => string) {
    this.#fetch = fetchFn;
    this.#redact = redact;
  }

  async send(req: HttpRequest): Promise<Response> {
    const init: RequestInit & { duplex?: "half" } = {
      method: req.method,
      headers: req.headers,
      signal: AbortSignal.timeout(req.timeoutMs),
    };
    if (req.body !== undefined) {
      init.body = req.body as NonNullable<RequestInit["body"]>;
      if (typeof req.body !== "string" && !(req.body instanceof Blob)) init.duplex = "half";
    }
    try {
      return await this.#fetch(req.url, init);
    } catch (error) {
      throw this.#transportError(req.path, error);
    }
  }

  /** Reads a JSON answer; a non-zero errcode is an error outcome. */
  async json<T>(req: HttpRequest): Promise<Outcome<T>> {
    const res = await this.send(req);
    const text = await this.#text(req.path, res);
    return this.#interpretJson<T>(req.path, res.status, text);
  }

  /**
   * Reads an answer that is a file on success and JSON on failure (WeChat marks JSON errors with an
   * `application/json` content type). A JSON success (e.g. a news material) is returned as `json`.
   */
  async binary<T>(req: HttpRequest, as: "buffer"): Promise<Outcome<MediaFile | T>>;
  async binary<T>(req: HttpRequest, as: "stream"): Promise<Outcome<MediaStream | T>>;
  async binary<T>(req: HttpRequest, as: "buffer" | "stream"): Promise<Outcome<MediaFile | MediaStream | T>> {
    const res = await this.send(req);
    const contentType = res.headers.get("content-type") ?? "application/octet-stream";
    if (/^[a-z]+\/([a-z.+-]*\+)?json\b/i.test(contentType) || !res.ok) {
      const text = await this.#text(req.path, res);
      return this.#interpretJson<T>(req.path, res.status, text);
    }
    const filename = filenameOf(res.headers.get("content-disposition"));
    if (as === "stream") {
      const length = Number(res.headers.get("content-length") ?? Number.NaN);
      const stream = res.body
        ? Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>)
        : Readable.from([]);
      const contentLength = Number.isFinite(length) ? length : undefined;
      return { ok: true, value: { stream, contentType, filename, contentLength } };
    }
    try {
      const data = Buffer.from(await res.arrayBuffer());
      return { ok: true, value: { data, contentType, filename } };
    } catch (error) {
      throw this.#transportError(req.path, error);
    }
  }

  async #text(path: string, res: Response): Promise<string> {
    try {
      return await res.text();
    } catch (error) {
      throw this.#transportError(path, error);
    }
  }

  #interpretJson<T>(path: string, status: number, text: string): Outcome<T> {
    let body: unknown;
    try {
      body = parseJson(text);
    } catch {
      throw new WechatRequestError(`${path} answered HTTP ${status} with a body that is not JSON`, {
        path,
        status,
      });
    }
    const error = apiErrorOf(path, body);
    if (error) return { ok: false, error };
    if (status < 200 || status > 299) {
      throw new WechatRequestError(`${path} answered HTTP ${status}`, { path, status });
    }
    return { ok: true, value: body as T };
  }

  /** Network failures and timeouts, re-worded without anything that could carry the query. */
  #transportError(path: string, error: unknown): WechatRequestError {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail = cause instanceof Error ? this.#redact(`${cause.name}: ${cause.message}`) : "unknown error";
    const code = (cause as { code?: unknown } | undefined)?.code;
    const message = timedOut
      ? `${path} timed out`
      : `${path} request failed (${detail}${typeof code === "string" ? `, ${code}` : ""})`;
    return new WechatRequestError(message, { path });
  }
}

/** WeChat's error rule: an `errcode` present and non-zero (string errcodes are coerced, as wechatpy does). */
export function apiErrorOf(path: string, body: unknown): WechatApiError | undefined {
  if (typeof body !== "object" || body === null || !("errcode" in body)) return undefined;
  const { errcode, errmsg } = body as { errcode: unknown; errmsg?: unknown };
  const code = typeof errcode === "number" ? errcode : Number(errcode);
  if (code === 0 || Number.isNaN(code)) return undefined;
  return new WechatApiError({ errcode: code, errmsg: typeof errmsg === "string" ? errmsg : "", path });
}

/** `attachment; filename="x.jpg"` or RFC 5987 `filename*=UTF-8''…`. */
export function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(disposition);
  const name = plain?.[1] ?? plain?.[2];
  return name?.replace(/\\(.)/g, "$1");
}
