/**
 * JS-SDK on the developer's server (spec/jssdk.md §2–§3): the `jsapi` (and card `wx_card`) ticket,
 * fetched once and cached in a token store until shortly before its 7200 s run out (WeChat limits
 * `getticket` calls: every process should share the store), and the `wx.config` object for a page
 * URL, signed with it. Works against WeChat and against the platform.
 */

import { randomBytes } from "node:crypto";
import { jssdkSignature, jssdkSignedUrl, type TicketType } from "@mpstack/protocol";
import type { WechatClient } from "../client/client.js";
import { MemoryTokenStore, type TokenStore } from "../client/token-store.js";

export interface JssdkOptions {
  /** The account's API client (its access token fetches the tickets). */
  client: WechatClient;
  /** Where tickets are cached; share it (e.g. a RedisTokenStore) across processes. Default: memory. */
  tokenStore?: TokenStore;
  /** Fetch a new ticket this long before the cached one expires (default 300 s). */
  refreshMarginSeconds?: number;
  /** How long a process waits for another one's fetch before fetching itself (default 5 000 ms). */
  lockWaitMs?: number;
}

export interface WxConfigOptions {
  jsApiList: string[];
  openTagList?: string[];
  debug?: boolean;
}

/** What a page passes to `wx.config`. */
export interface WxConfig {
  debug: boolean;
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
  jsApiList: string[];
  openTagList?: string[];
}

const POLL_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class JssdkSigner {
  readonly #client: WechatClient;
  readonly #store: TokenStore;
  readonly #marginMs: number;
  readonly #lockWaitMs: number;
  readonly #inflight = new Map<TicketType, Promise<string>>();

  constructor(options: JssdkOptions) {
    this.#client = options.client;
    this.#store = options.tokenStore ?? new MemoryTokenStore();
    this.#marginMs = (options.refreshMarginSeconds ?? 300) * 1000;
    this.#lockWaitMs = options.lockWaitMs ?? 5000;
  }

  #key(type: TicketType): string {
    return `ticket:${this.#client.appId}:${type}`;
  }

  /** A valid ticket: from the store, or fetched once for all concurrent callers (and processes). */
  getTicket(type: TicketType = "jsapi"): Promise<string> {
    let p = this.#inflight.get(type);
    if (!p) {
      p = this.#load(type).finally(() => this.#inflight.delete(type));
      this.#inflight.set(type, p);
    }
    return p;
  }

  /** Forget a ticket WeChat refused (only if no one has replaced it meanwhile). */
  async invalidateTicket(ticket: string, type: TicketType = "jsapi"): Promise<void> {
    await this.#store.deleteIf(this.#key(type), ticket);
  }

  async #load(type: TicketType): Promise<string> {
    const key = this.#key(type);
    const stored = await this.#store.get(key);
    if (stored) return stored.value;
    const deadline = Date.now() + this.#lockWaitMs;
    for (;;) {
      const lock = await this.#store.tryLock(`${key}:lock`, this.#lockWaitMs);
      if (lock) {
        try {
          const again = await this.#store.get(key);
          if (again) return again.value;
          const answer = await this.#client.jssdk.getTicket({ type });
          const lifetimeMs = answer.expires_in * 1000;
          const margin = Math.min(this.#marginMs, lifetimeMs / 2);
          await this.#store.set(key, { value: answer.ticket, expiresAt: Date.now() + lifetimeMs - margin });
          return answer.ticket;
        } finally {
          await lock.release();
        }
      }
      await sleep(POLL_MS);
      const fetched = await this.#store.get(key);
      if (fetched) return fetched.value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for another process's ${type} ticket`);
    }
  }

  /** The `wx.config` for the page at `url` (its `#fragment` is dropped, as WeChat signs it). */
  async configFor(url: string, options: WxConfigOptions): Promise<WxConfig> {
    const ticket = await this.getTicket("jsapi");
    const timestamp = Math.floor(Date.now() / 1000);
    const nonceStr = randomBytes(8).toString("hex");
    return {
      debug: options.debug ?? false,
      appId: this.#client.appId,
      timestamp,
      nonceStr,
      signature: jssdkSignature({ jsapiTicket: ticket, nonceStr, timestamp, url: jssdkSignedUrl(url) }),
      jsApiList: options.jsApiList,
      ...(options.openTagList ? { openTagList: options.openTagList } : {}),
    };
  }
}

/** The JS-SDK helper of one account's client. */
export function createJssdk(options: JssdkOptions): JssdkSigner {
  return new JssdkSigner(options);
}
