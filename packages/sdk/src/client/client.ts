/**
 * The API client of one official account: typed methods for every endpoint of the protocol's
 * catalog (`client.menu.create(...)`), a generic token-aware `request`, media upload/download, and
 * the token life cycle (single-flight refresh, compare-and-delete invalidation, one retry).
 */
import { catalog, type Endpoint, type HostKind, TOKEN_ERROR_CODES } from "@mpstack/protocol";
import { BUSY_ERRCODE } from "./errors.js";
import { stringifyJson } from "./json.js";
import { encodeMultipart, type MediaInput, type MultipartBody } from "./multipart.js";
import { sleep, TokenManager } from "./token-manager.js";
import { MemoryTokenStore, type TokenStore } from "./token-store.js";
import {
  type FetchFn,
  type HttpRequest,
  type MediaFile,
  type MediaStream,
  type Outcome,
  Transport,
} from "./transport.js";
import type { ApiGroups, ArgsOf, CallOptions, ResultOf } from "./types.js";
import { buildQuery, checkPath, createUrlResolver, type Query } from "./url.js";

export interface ClientOptions {
  appId: string;
  appSecret: string;
  /**
   * Where every request goes. Default: WeChat's hosts (api/mp/open by endpoint). Set it to the
   * platform's URL for local work; then all three hosts map to it.
   */
  baseUrl?: string;
  /** Default: Node's global fetch (undici, keep-alive connections). */
  fetch?: FetchFn;
  /** Default: a `MemoryTokenStore` of this client. Share a `RedisTokenStore` across processes. */
  tokenStore?: TokenStore;
  /** Use `POST /cgi-bin/stable_token` instead of `/cgi-bin/token` (they do not invalidate each other). */
  useStableToken?: boolean;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Refresh the token this long before it expires (default 300 s, capped at half its lifetime). */
  refreshMarginSeconds?: number;
  /** Back-off before the one retry after errcode -1 "system busy" (default 200 ms, ±50 % jitter). */
  busyRetryDelayMs?: number;
  /** How long a token read from a shared store is reused before reading the store again (default 30 s). */
  localTokenCacheMs?: number;
  /** How often a process waiting for another process's refresh polls the store (default 50 ms). */
  tokenPollIntervalMs?: number;
}

/** Options of the generic calls (`request`, `download`, `upload`). */
export interface RequestOptions extends CallOptions {
  /** Which WeChat host the path belongs to (default `api`). */
  host?: HostKind;
  /** Send the access token (default true). */
  withToken?: boolean;
}

/** Members of the client itself; catalog groups may not reuse these names. */
const RESERVED = new Set([
  "appId",
  "call",
  "stream",
  "request",
  "download",
  "downloadStream",
  "upload",
  "getAccessToken",
  "refreshAccessToken",
  "tokenFetchCount",
  "toJSON",
  "toString",
]);

export class WechatClientCore {
  readonly appId: string;
  readonly #tokens: TokenManager;
  readonly #transport: Transport;
  readonly #url: (host: HostKind, path: string) => string;
  readonly #timeoutMs: number;
  readonly #busyDelayMs: number;
  readonly #baseUrl: string | undefined;

  constructor(options: ClientOptions) {
    if (!options.appId || !options.appSecret) throw new TypeError("createClient needs appId and appSecret");
    const secret = options.appSecret;
    this.appId = options.appId;
    this.#baseUrl = options.baseUrl;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#busyDelayMs = options.busyRetryDelayMs ?? 200;
    this.#url = createUrlResolver(options.baseUrl);
    // Anything a transport error repeats (e.g. a URL) is scrubbed of the secret and of tokens.
    const redact = (text: string) =>
      text
        .split(secret)
        .join("***")
        .replace(/(access_token|secret)=[^&\s"']*/g, "$1=***");
    this.#transport = new Transport(options.fetch ?? globalThis.fetch.bind(globalThis), redact);
    this.#tokens = new TokenManager({
      appId: options.appId,
      appSecret: secret,
      store: options.tokenStore ?? new MemoryTokenStore(),
      transport: this.#transport,
      url: (path) => this.#url("api", path),
      useStableToken: options.useStableToken ?? false,
      refreshMarginSeconds: options.refreshMarginSeconds ?? 300,
      localCacheMs: options.localTokenCacheMs ?? 30_000,
      timeoutMs: this.#timeoutMs,
      busyRetryDelayMs: this.#busyDelayMs,
      pollIntervalMs: options.tokenPollIntervalMs ?? 50,
    });
  }

  /** A valid access token (from the store, or freshly fetched once for all concurrent callers). */
  getAccessToken(): Promise<string> {
    return this.#tokens.get();
  }

  /** Discards the current token and fetches a new one. */
  refreshAccessToken(): Promise<string> {
    return this.#tokens.refresh();
  }

  /** Token requests this client has sent (diagnostics). */
  get tokenFetchCount(): number {
    return this.#tokens.fetchCount;
  }

  /** Calls one catalog endpoint; `client.<group>.<name>(args)` is this with the endpoint bound. */
  async call<E extends Endpoint>(endpoint: E, args?: ArgsOf<E>, options?: CallOptions): Promise<ResultOf<E>> {
    const placed = await this.#place(endpoint, (args ?? {}) as Record<string, unknown>);
    const withToken = endpoint.auth === "access_token";
    if (endpoint.responseKind === "binary") {
      return this.#withRetry(withToken, placed.replayable, (token) =>
        this.#transport.binary<ResultOf<E>>(
          this.#http(endpoint.method, endpoint.host, endpoint.path, placed, token, options),
          "buffer",
        ),
      ) as Promise<ResultOf<E>>;
    }
    return this.#withRetry(withToken, placed.replayable, (token) =>
      this.#transport.json<ResultOf<E>>(
        this.#http(endpoint.method, endpoint.host, endpoint.path, placed, token, options),
      ),
    );
  }

  /** Like `call` for a download endpoint, but hands back the body as a stream instead of a Buffer. */
  async stream<E extends Endpoint>(
    endpoint: E,
    args?: ArgsOf<E>,
    options?: CallOptions,
  ): Promise<MediaStream> {
    const placed = await this.#place(endpoint, (args ?? {}) as Record<string, unknown>);
    const result = await this.#withRetry(endpoint.auth === "access_token", true, (token) =>
      this.#transport.binary<unknown>(
        this.#http(endpoint.method, endpoint.host, endpoint.path, placed, token, options),
        "stream",
      ),
    );
    return asMedia<MediaStream>(endpoint.path, result);
  }

  /**
   * Any endpoint, typed or not: JSON body (raw UTF-8), token in the query, the same error and retry
   * rules as the typed methods. Resolves the parsed body.
   */
  async request<T = unknown>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    query?: Query,
    options: RequestOptions = {},
  ): Promise<T> {
    checkPath(path);
    const placed: Placed = {
      query: query ?? {},
      body:
        body === undefined ? undefined : { contentType: "application/json", open: () => stringifyJson(body) },
      replayable: true,
    };
    return this.#withRetry(options.withToken ?? true, true, (token) =>
      this.#transport.json<T>(this.#http(method, options.host ?? "api", path, placed, token, options)),
    );
  }

  /** Downloads a file into memory from any path (GET, or POST with a JSON body). */
  async download(
    path: string,
    query?: Query,
    options: RequestOptions & { body?: unknown } = {},
  ): Promise<MediaFile> {
    checkPath(path);
    const placed = this.#genericPlaced(query, options.body);
    const result = await this.#withRetry(options.withToken ?? true, true, (token) =>
      this.#transport.binary<unknown>(
        this.#http(placed.body ? "POST" : "GET", options.host ?? "api", path, placed, token, options),
        "buffer",
      ),
    );
    return asMedia<MediaFile>(path, result);
  }

  /** Downloads a file from any path as a stream (GET, or POST with a JSON body). */
  async downloadStream(
    path: string,
    query?: Query,
    options: RequestOptions & { body?: unknown } = {},
  ): Promise<MediaStream> {
    checkPath(path);
    const placed = this.#genericPlaced(query, options.body);
    const result = await this.#withRetry(options.withToken ?? true, true, (token) =>
      this.#transport.binary<unknown>(
        this.#http(placed.body ? "POST" : "GET", options.host ?? "api", path, placed, token, options),
        "stream",
      ),
    );
    return asMedia<MediaStream>(path, result);
  }

  /**
   * Uploads a file to any path as multipart/form-data (file part `media`, plus `fields`).
   * Buffers and files are retried like any call; a stream is sent once.
   */
  async upload<T = unknown>(
    path: string,
    media: MediaInput,
    options: RequestOptions & { query?: Query; fields?: Record<string, unknown> } = {},
  ): Promise<T> {
    checkPath(path);
    const multipart = await encodeMultipart(formFields(options.fields ?? {}), media);
    const placed: Placed = { query: options.query ?? {}, body: multipart, replayable: multipart.replayable };
    return this.#withRetry(options.withToken ?? true, multipart.replayable, (token) =>
      this.#transport.json<T>(this.#http("POST", options.host ?? "api", path, placed, token, options)),
    );
  }

  toJSON(): { appId: string; baseUrl: string | undefined } {
    return { appId: this.appId, baseUrl: this.#baseUrl };
  }

  toString(): string {
    return `WechatClient(${this.appId})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `WechatClient { appId: ${JSON.stringify(this.appId)}, baseUrl: ${JSON.stringify(this.#baseUrl ?? null)} }`;
  }

  /**
   * One call with WeChat's recovery rules, at most two attempts: a token error invalidates the token
   * that failed (only if still stored) and retries with a fresh one; -1 backs off and retries.
   */
  async #withRetry<T>(
    withToken: boolean,
    replayable: boolean,
    attempt: (token: string | undefined) => Promise<Outcome<T>>,
  ): Promise<T> {
    let token = withToken ? await this.#tokens.get() : undefined;
    let outcome = await attempt(token);
    if (outcome.ok) return outcome.value;
    const { errcode } = outcome.error;
    if (replayable && token !== undefined && TOKEN_ERROR_CODES.includes(errcode)) {
      await this.#tokens.invalidate(token);
      token = await this.#tokens.get();
      outcome = await attempt(token);
    } else if (replayable && errcode === BUSY_ERRCODE) {
      await sleep(this.#busyDelayMs * (0.5 + Math.random()));
      outcome = await attempt(token);
    }
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /** Splits an endpoint's arguments into query, JSON body or multipart body, per its catalog entry. */
  async #place(endpoint: Endpoint, args: Record<string, unknown>): Promise<Placed> {
    if (endpoint.requestIn === "query") return { query: args as Query, body: undefined, replayable: true };
    const query: Query = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (endpoint.queryKeys.includes(key)) query[key] = value as Query[string];
      else rest[key] = value;
    }
    if (endpoint.requestIn === "multipart") {
      const { media, ...fields } = rest;
      if (media === undefined) throw new TypeError(`${endpoint.id} needs a media file`);
      const multipart = await encodeMultipart(formFields(fields), media as MediaInput);
      return { query, body: multipart, replayable: multipart.replayable };
    }
    const json = stringifyJson(rest);
    return { query, body: { contentType: "application/json", open: () => json }, replayable: true };
  }

  #genericPlaced(query: Query | undefined, body: unknown): Placed {
    if (body === undefined) return { query: query ?? {}, body: undefined, replayable: true };
    const json = stringifyJson(body);
    return {
      query: query ?? {},
      body: { contentType: "application/json", open: () => json },
      replayable: true,
    };
  }

  #http(
    method: "GET" | "POST",
    host: HostKind,
    path: string,
    placed: Placed,
    token: string | undefined,
    options: CallOptions | undefined,
  ): HttpRequest {
    const query = token === undefined ? placed.query : { access_token: token, ...placed.query };
    const request: HttpRequest = {
      method,
      url: this.#url(host, path) + buildQuery(query),
      path,
      timeoutMs: options?.timeoutMs ?? this.#timeoutMs,
    };
    if (placed.body) {
      request.headers = { "content-type": placed.body.contentType };
      request.body = placed.body.open();
    }
    return request;
  }
}

interface Placed {
  query: Query;
  body: Pick<MultipartBody, "contentType" | "open"> | undefined;
  replayable: boolean;
}

function formFields(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    out[key] = typeof value === "string" ? value : stringifyJson(value);
  }
  return out;
}

function asMedia<M extends MediaFile | MediaStream>(path: string, result: unknown): M {
  if (typeof result === "object" && result !== null && ("data" in result || "stream" in result))
    return result as M;
  throw new TypeError(`${path} answered JSON instead of a file (${JSON.stringify(result).slice(0, 200)})`);
}

/** Narrows a download endpoint's result to the file (vs. its JSON success form). */
export function isMediaFile(value: unknown): value is MediaFile {
  return typeof value === "object" && value !== null && Buffer.isBuffer((value as MediaFile).data);
}

export type WechatClient = WechatClientCore & ApiGroups;

/** Creates the client of one account, with `client.<group>.<name>()` for every catalog endpoint. */
export function createClient(options: ClientOptions): WechatClient {
  const client = new WechatClientCore(options);
  for (const [groupName, group] of Object.entries(catalog as Record<string, Record<string, Endpoint>>)) {
    if (RESERVED.has(groupName)) throw new Error(`catalog group "${groupName}" clashes with a client member`);
    const methods: Record<string, (args?: unknown, options?: CallOptions) => Promise<unknown>> = {};
    for (const [name, endpoint] of Object.entries(group)) {
      methods[name] = (args, callOptions) => client.call(endpoint, args as ArgsOf<Endpoint>, callOptions);
    }
    Object.defineProperty(client, groupName, { value: Object.freeze(methods), enumerable: true });
  }
  return client as WechatClient;
}
