/**
 * Bridge calls waiting for the user (a picker, a prompt, the scanner): the platform answers with a
 * directive and a continuation id; the bridge shows the step and sends the user's choice back with
 * that id. Held in memory (30 minutes — as long as a pay session, the longest step a handler shows —
 * at most 10 000), only for the user who started the call.
 */
import type { Clock } from "../../clock.js";
import { ExpiringMap } from "../../expiring-map.js";
import type { BridgeAnswer, BridgeCall } from "./apis.js";

const TTL_MS = 30 * 60_000;

interface Pending {
  call: BridgeCall;
  next: (choice: unknown) => Promise<BridgeAnswer>;
}

export class Continuations {
  private readonly pending: ExpiringMap<Pending>;

  constructor(clock: Clock) {
    this.pending = new ExpiringMap(clock, TTL_MS);
  }

  put(call: BridgeCall, next: (choice: unknown) => Promise<BridgeAnswer>): string {
    return this.pending.put({ call, next });
  }

  /** The waiting call, once, if it is `userId`'s and has not expired. */
  take(id: unknown, userId: string): Pending | undefined {
    return this.pending.take(id, (p) => p.call.user.id === userId);
  }

  clear(): void {
    this.pending.clear();
  }
}
