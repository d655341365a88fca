/**
 * A token store shared by every process that reaches one Redis: the "central control server" WeChat
 * asks developers to run, without a separate server. The refresh lock is SET NX PX with a random
 * owner, released by a Lua compare-and-delete; waiting processes poll for the new token.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { StoredToken, TokenLock, TokenStore } from "./token-store.js";

const DELETE_IF_EQUAL = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

export interface RedisTokenStoreOptions {
  /** Prefix of every key this store writes (default `mpstack:sdk:`). */
  keyPrefix?: string;
}

export class RedisTokenStore implements TokenStore {
  readonly #redis: Redis;
  readonly #ownsConnection: boolean;
  readonly #prefix: string;

  /** Pass an ioredis client (you keep ownership) or a `redis://` URL (the store opens and closes it). */
  constructor(redis: Redis | string, options: RedisTokenStoreOptions = {}) {
    this.#ownsConnection = typeof redis === "string";
    this.#redis = typeof redis === "string" ? new Redis(redis, { lazyConnect: false }) : redis;
    this.#prefix = options.keyPrefix ?? "mpstack:sdk:";
  }

  async get(key: string): Promise<StoredToken | null> {
    const results = await this.#redis.multi().get(this.#key(key)).pttl(this.#key(key)).exec();
    const value = results?.[0]?.[1];
    const ttl = results?.[1]?.[1];
    if (typeof value !== "string" || typeof ttl !== "number" || ttl <= 0) return null;
    return { value, expiresAt: Date.now() + ttl };
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const ttl = Math.floor(token.expiresAt - Date.now());
    if (ttl <= 0) return;
    await this.#redis.set(this.#key(key), token.value, "PX", ttl);
  }

  async deleteIf(key: string, value: string): Promise<boolean> {
    const removed = await this.#redis.eval(DELETE_IF_EQUAL, 1, this.#key(key), value);
    return removed === 1;
  }

  async tryLock(key: string, ttlMs: number): Promise<TokenLock | null> {
    const lockKey = this.#key(`${key}:lock`);
    const owner = randomBytes(16).toString("hex");
    const taken = await this.#redis.set(lockKey, owner, "PX", Math.max(1, Math.floor(ttlMs)), "NX");
    if (taken !== "OK") return null;
    return {
      release: async () => {
        await this.#redis.eval(DELETE_IF_EQUAL, 1, lockKey, owner);
      },
    };
  }

  /** Closes the connection if the store opened it. */
  async close(): Promise<void> {
    if (this.#ownsConnection) await this.#redis.quit();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `RedisTokenStore { prefix: ${JSON.stringify(this.#prefix)} }`;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }
}
