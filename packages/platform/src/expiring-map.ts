/**
 * Single-use tokens held in memory for a while: a page waiting for the user's answer (the OAuth
 * consent page's ticket, a JS-SDK picker's continuation). Each value gets a random key and a
 * lifetime on the platform clock; taking it removes it; the oldest go first past `max`, so memory
 * stays bounded. A restart forgets them, as a browser tab's pending step would be lost.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "./clock.js";

export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  /** Keep `value`; answers its key (URL-safe, unguessable). */
  put(value: V): string {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    while (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const key = randomBytes(18).toString("base64url");
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return key;
  }

  /** The value, once, while it has not expired. A value `accept` refuses stays (it is not the caller's). */
  take(key: unknown, accept: (value: V) => boolean = () => true): V | undefined {
    if (typeof key !== "string") return undefined;
    const e = this.entries.get(key);
    if (!e || !accept(e.value)) return undefined;
    this.entries.delete(key);
    return e.expiresAt > this.clock.now() ? e.value : undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}
