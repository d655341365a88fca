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
import type { XmlRecord, XmlValue } from "@mpstack/protocol";

/** What claiming a push's key finds. */
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
  /** Most keys kept (the oldest half is dropped at once when full). Default 10,000. */
  maxEntries?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/**
 * Flattens a string in place (V8 flattens a rope when converting it to a number, the trick pino's
 * `flatstr` uses). Kept answers are built by concatenation and keys are cut from the push body; held
 * as ropes and slices for thousands of requests, they would keep whole bodies and many small
 * fragments alive and make garbage collection several µs per push dearer.
 */
function flatten(text: string): string {
  Number(text);
  return text;
}

interface MemoryEntry {
  answer: string | undefined;
  expiresAt: number;
}

/**
 * In-process store: bounded and with a TTL per key. Two generations of at most maxEntries/2 keys
 * each: when the young one is full it becomes the old one and the previous old one is dropped, so
 * every operation is O(1) and the oldest keys go first.
 */
export class MemoryDedupeStore implements DedupeStore {
  private young = new Map<string, MemoryEntry>();
  private old = new Map<string, MemoryEntry>();
  private readonly generationSize: number;
  private readonly now: () => number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.generationSize = Math.max(1, Math.floor((options.maxEntries ?? 10_000) / 2));
    this.now = options.now ?? Date.now;
  }

  /** Keys currently held (expired ones included until they are dropped). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  claim(key: string, ttlSeconds: number): DedupeClaim {
    const now = this.now();
    const entry = this.get(key, now);
    if (entry)
      return entry.answer === undefined ? { status: "pending" } : { status: "done", answer: entry.answer };
    this.set(flatten(key), { answer: undefined, expiresAt: now + ttlSeconds * 1000 });
    return { status: "new" };
  }

  complete(key: string, answer: string, ttlSeconds: number): void {
    const now = this.now();
    const entry = this.get(key, now);
    if (entry) {
      entry.answer = flatten(answer);
      entry.expiresAt = now + ttlSeconds * 1000;
    } else {
      this.set(flatten(key), { answer: flatten(answer), expiresAt: now + ttlSeconds * 1000 });
    }
  }

  lookup(key: string): string | undefined {
    return this.get(key, this.now())?.answer;
  }

  private get(key: string, now: number): MemoryEntry | undefined {
    const entry = this.young.get(key) ?? this.old.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private set(key: string, entry: MemoryEntry): void {
    this.old.delete(key);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, entry);
  }
}
