import type { XmlRecord, XmlValue } from "@mpstack/protocol";

/**
 * De-duplication of WeChat's retried pushes (spec/callback.md §7). A push that got no answer in
 * 5 s is delivered again with the same body, so the key comes from the body: `MsgId` for user
 * messages, `FromUserName + CreateTime + Event` for events (plus `EventKey` and `MsgID` when present:
 * fields of the same body, so a retry still yields the same key while two different events of the
 * same second stay apart).
 *
 * The stored answer is the plain reply XML ("" for "success"); each request seals it again in its
 * own mode, since a retry may carry new timestamp/nonce values.
 */
export type DedupeClaim =
  /** First delivery: run the routes. */
  | { status: "new" }
  /** Another delivery of this push is being handled (possibly by another process). */
  | { status: "pending" }
  /** Already answered: answer the same. */
  | { status: "done"; answer: string };

export interface DedupeStore {
  /** Atomically claims `key`; only the first caller within `ttlSeconds` gets "new". */
  claim(key: string, ttlSeconds: number): Promise<DedupeClaim> | DedupeClaim;
  /** Records the answer given for `key`. */
  complete(key: string, answer: string, ttlSeconds: number): Promise<void> | void;
  /** The recorded answer, or undefined while pending or unknown. */
  lookup(key: string): Promise<string | undefined> | string | undefined;
}

function text(value: XmlValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The dedupe key of a push, from its raw fields; undefined when the push has nothing to key on. */
export function dedupeKey(raw: XmlRecord): string | undefined {
  const to = text(raw.ToUserName) ?? "";
  const msgId = text(raw.MsgId);
  if (msgId) return `${to}:m:${msgId}`;
  const from = text(raw.FromUserName);
  const createTime = text(raw.CreateTime);
  if (!from || !createTime) return undefined;
  const event = text(raw.Event) ?? text(raw.MsgType) ?? "";
  return `${to}:e:${from}:${createTime}:${event}:${text(raw.EventKey) ?? ""}:${text(raw.MsgID) ?? ""}`;
}

export interface MemoryDedupeStoreOptions {
  /** Most keys kept; the oldest go first. Default 10,000. */
  maxEntries?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

interface MemoryEntry {
  answer: string | undefined;
  expiresAt: number;
}

/** In-process store: bounded (oldest evicted first) and with a TTL per key. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  claim(key: string, ttlSeconds: number): DedupeClaim {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      return entry.answer === undefined ? { status: "pending" } : { status: "done", answer: entry.answer };
    }
    if (entry) this.entries.delete(key);
    this.evict(now);
    this.entries.set(key, { answer: undefined, expiresAt: now + ttlSeconds * 1000 });
    return { status: "new" };
  }

  complete(key: string, answer: string, ttlSeconds: number): void {
    const expiresAt = this.now() + ttlSeconds * 1000;
    const entry = this.entries.get(key);
    if (entry) {
      entry.answer = answer;
      entry.expiresAt = expiresAt;
    } else {
      this.evict(this.now());
      this.entries.set(key, { answer, expiresAt });
    }
  }

  lookup(key: string): string | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.answer : undefined;
  }

  /** Makes room for one entry: drops expired entries at the old end, then the oldest if still full. */
  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size < this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
