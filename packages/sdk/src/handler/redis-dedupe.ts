/**
 * A dedupe store in Redis, for handlers running in several processes: a retried push is recognised
 * whichever process it reaches (claims with SET NX, answers kept for the TTL).
 */
import type { Cluster, Redis } from "ioredis";
import type { DedupeClaim, DedupeStore } from "./dedupe.js";

export interface RedisDedupeStoreOptions {
  /** Prefix of every key. Default "mpstack:dedupe:". */
  prefix?: string;
}

// Values: PENDING while the first delivery runs, DONE + answer afterwards.
const PENDING = "?";
const DONE = "=";

/**
 * Shared store for several processes behind one URL: `SET key ? NX EX ttl` claims a push for
 * exactly one process; the answer replaces the marker so that retries landing elsewhere reuse it.
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis | Cluster,
    options: RedisDedupeStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? "mpstack:dedupe:";
  }

  async claim(key: string, ttlSeconds: number): Promise<DedupeClaim> {
    const k = this.prefix + key;
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    if ((await this.redis.set(k, PENDING, "EX", ttl, "NX")) === "OK") return { status: "new" };
    const value = await this.redis.get(k);
    // null: the key expired between the two calls; treat it as still pending (never run twice).
    if (value === null || value === PENDING) return { status: "pending" };
    return { status: "done", answer: value.slice(DONE.length) };
  }

  async complete(key: string, answer: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, DONE + answer, "EX", Math.max(1, Math.ceil(ttlSeconds)));
  }

  async lookup(key: string): Promise<string | undefined> {
    const value = await this.redis.get(this.prefix + key);
    return value?.startsWith(DONE) ? value.slice(DONE.length) : undefined;
  }
}
