/**
 * One-time browsing links: the simulator hands out `/_mpstack/browse/link/<token>`; opening it
 * once (within 10 minutes) sets the browsing cookie and goes on to the page. Tokens live in memory:
 * a restart voids unused links, never an identity already set.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { Entry } from "./entry.js";

const TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

interface PendingLink {
  userId: string;
  next: string;
  expiresAt: number;
  /** How the page is entered (menu or conversation of an account), when the link says so. */
  entry?: Entry;
}

export class OneTimeLinks {
  private readonly pending = new Map<string, PendingLink>();

  constructor(private readonly clock: Clock) {}

  create(userId: string, next: string, entry?: Entry): { token: string; expiresAt: number } {
    this.prune();
    // Bounded: the oldest unused links go first.
    while (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    const token = randomBytes(18).toString("base64url");
    const expiresAt = this.clock.now() + TTL_MS;
    this.pending.set(token, { userId, next, expiresAt, ...(entry ? { entry } : {}) });
    return { token, expiresAt };
  }

  /** The link's user and page, once; undefined when unknown, used or expired. */
  take(token: string): PendingLink | undefined {
    const link = this.pending.get(token);
    this.pending.delete(token);
    if (!link || link.expiresAt <= this.clock.now()) return undefined;
    return link;
  }

  clear(): void {
    this.pending.clear();
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [token, link] of this.pending) if (link.expiresAt <= now) this.pending.delete(token);
  }
}

/** `next` must be a path on the platform or an http(s) URL; anything else becomes `/`. */
export function safeNext(next: string | undefined): string {
  if (!next) return "/";
  if (next.startsWith("/") && !next.startsWith("//")) return next;
  try {
    const u = new URL(next);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : "/";
  } catch {
    return "/";
  }
}
