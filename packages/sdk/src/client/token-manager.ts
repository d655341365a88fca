/**
 * The access-token life cycle for one account: read from the store, refresh once for all concurrent
 * callers (single flight in-process, a store lock across processes), and invalidate only the token
 * that failed.
 */
import { BUSY_ERRCODE, WechatRequestError } from "./errors.js";
import { stringifyJson } from "./json.js";
import type { TokenStore } from "./token-store.js";
import type { Outcome, Transport } from "./transport.js";
import { buildQuery } from "./url.js";

export interface TokenManagerOptions {
  appId: string;
  appSecret: string;
  store: TokenStore;
  transport: Transport;
  url: (path: string) => string;
  useStableToken: boolean;
  /** Refresh this long before WeChat's expiry (capped at half the token's lifetime). */
  refreshMarginSeconds: number;
  /** How long a process may reuse a token without asking a shared store again. */
  localCacheMs: number;
  timeoutMs: number;
  busyRetryDelayMs: number;
  /** How often a process waiting for another one's refresh looks at the store. */
  pollIntervalMs: number;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
}

export class TokenManager {
  readonly #o: TokenManagerOptions;
  readonly #key: string;
  #local: { value: string; until: number } | null = null;
  #inflight: Promise<string> | null = null;
  /** The last token this process saw rejected: a stable-token refresh that returns it again is forced. */
  #rejected: string | null = null;
  #fetches = 0;

  constructor(options: TokenManagerOptions) {
    this.#o = options;
    this.#key = `token:${options.appId}${options.useStableToken ? ":stable" : ""}`;
  }

  /** Token requests this manager has sent to WeChat (for diagnostics and tests). */
  get fetchCount(): number {
    return this.#fetches;
  }

  /** A usable token; concurrent callers share one store read and at most one refresh. */
  get(): Promise<string> {
    const local = this.#local;
    if (local && local.until > Date.now()) return Promise.resolve(local.value);
    if (!this.#inflight) {
      this.#inflight = this.#load().finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  /** Forgets `failed` everywhere, unless another caller has already replaced it. */
  async invalidate(failed: string): Promise<void> {
    this.#rejected = failed;
    if (this.#local?.value === failed) this.#local = null;
    await this.#o.store.deleteIf(this.#key, failed);
  }

  /** Drops whatever token is stored and fetches a new one (one request, shared by concurrent callers). */
  async refresh(): Promise<string> {
    const current = this.#local?.value ?? (await this.#o.store.get(this.#key))?.value;
    if (current !== undefined) await this.invalidate(current);
    return this.get();
  }

  async #load(): Promise<string> {
    const stored = await this.#o.store.get(this.#key);
    if (stored && stored.expiresAt > Date.now()) return this.#remember(stored.value, stored.expiresAt);
    return this.#refreshUnderLock();
  }

  async #refreshUnderLock(): Promise<string> {
    const lockTtl = this.#o.timeoutMs * 2 + this.#o.busyRetryDelayMs + 1000;
    const deadline = Date.now() + lockTtl * 2;
    for (;;) {
      const lock = await this.#o.store.tryLock(this.#key, lockTtl);
      if (lock) {
        try {
          // Another process may have stored a token between our read and our lock.
          const again = await this.#o.store.get(this.#key);
          if (again && again.expiresAt > Date.now()) return this.#remember(again.value, again.expiresAt);
          const fresh = await this.#fetchToken();
          await this.#o.store.set(this.#key, fresh);
          return this.#remember(fresh.value, fresh.expiresAt);
        } finally {
          await lock.release();
        }
      }
      await sleep(this.#o.pollIntervalMs * (0.5 + Math.random()));
      const seen = await this.#o.store.get(this.#key);
      if (seen && seen.expiresAt > Date.now()) return this.#remember(seen.value, seen.expiresAt);
      if (Date.now() > deadline) {
        throw new WechatRequestError("timed out waiting for another process to refresh the access_token", {
          path: this.#tokenPath(),
        });
      }
    }
  }

  #remember(value: string, expiresAt: number): string {
    this.#local = { value, until: Math.min(expiresAt, Date.now() + this.#o.localCacheMs) };
    return value;
  }

  #tokenPath(): string {
    return this.#o.useStableToken ? "/cgi-bin/stable_token" : "/cgi-bin/token";
  }

  async #fetchToken(): Promise<{ value: string; expiresAt: number }> {
    let answer = await this.#request(false);
    // Stable tokens: normal mode returns the current token; force a new one only when that is the token
    // we saw rejected (force_refresh is limited to 20 a day, so it is not spent on plain expiry).
    if (this.#o.useStableToken && this.#rejected !== null && answer.access_token === this.#rejected) {
      answer = await this.#request(true);
    }
    this.#rejected = null;
    const lifetime = answer.expires_in;
    const margin = Math.min(this.#o.refreshMarginSeconds, lifetime / 2);
    return { value: answer.access_token, expiresAt: Date.now() + (lifetime - margin) * 1000 };
  }

  async #request(forceRefresh: boolean): Promise<TokenAnswer> {
    const path = this.#tokenPath();
    const { appId, appSecret } = this.#o;
    const send = (): Promise<Outcome<TokenAnswer>> => {
      this.#fetches++;
      return this.#o.useStableToken
        ? this.#o.transport.json<TokenAnswer>({
            method: "POST",
            url: this.#o.url(path),
            path,
            headers: { "content-type": "application/json" },
            body: stringifyJson({
              grant_type: "client_credential",
              appid: appId,
              secret: appSecret,
              force_refresh: forceRefresh,
            }),
            timeoutMs: this.#o.timeoutMs,
          })
        : this.#o.transport.json<TokenAnswer>({
            method: "GET",
            url:
              this.#o.url(path) +
              buildQuery({ grant_type: "client_credential", appid: appId, secret: appSecret }),
            path,
            timeoutMs: this.#o.timeoutMs,
          });
    };
    let outcome = await send();
    if (!outcome.ok && outcome.error.errcode === BUSY_ERRCODE) {
      await sleep(this.#o.busyRetryDelayMs);
      outcome = await send();
    }
    if (!outcome.ok) throw outcome.error;
    const { access_token, expires_in } = outcome.value;
    if (
      typeof access_token !== "string" ||
      !access_token ||
      typeof expires_in !== "number" ||
      expires_in <= 0
    ) {
      throw new WechatRequestError(`${path} answered without access_token/expires_in`, { path });
    }
    return outcome.value;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TokenManager { appId: ${JSON.stringify(this.#o.appId)}, fetches: ${this.#fetches} }`;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
