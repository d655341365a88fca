/**
 * Bridge calls waiting for the user (a picker, a prompt, the scanner): the platform answers with a
 * directive and a continuation id; the bridge shows the step and sends the user's choice back with
 * that id. Held in memory (10 minutes, at most 10 000), only for the user who started the call.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { BridgeAnswer, BridgeCall } from "./apis.js";

const TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

interface Pending {
  call: BridgeCall;
  next: (choice: unknown) => Promise<BridgeAnswer>;
  expiresAt: number;
}

export class Continuations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  put(call: BridgeCall, next: (choice: unknown) => Promise<BridgeAnswer>): string {
    const now = this.clock.now();
    for (const [id, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(id);
    while (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    const id = randomBytes(12).toString("base64url");
    this.pending.set(id, { call, next, expiresAt: now + TTL_MS });
    return id;
  }

  /** The waiting call, once, if it is `userId`'s and has not expired. */
  take(id: unknown, userId: string): Pending | undefined {
    if (typeof id !== "string") return undefined;
    const p = this.pending.get(id);
    if (!p || p.call.user.id !== userId) return undefined;
    this.pending.delete(id);
    return p.expiresAt > this.clock.now() ? p : undefined;
  }

  clear(): void {
    this.pending.clear();
  }
}
