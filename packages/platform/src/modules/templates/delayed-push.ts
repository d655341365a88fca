/**
 * System events pushed a moment after the action they report (TEMPLATESENDJOBFINISH about a second
 * after the send, spec/template.md §8; subscribe_msg_sent_event after a bizsend): timers on real
 * time, dropped when the world is replaced or the platform closes.
 */
import type { InboundPayload } from "@mpstack/protocol";
import type { FastifyBaseLogger } from "fastify";
import type { PushResult, PushServices } from "../push/index.js";

export class DelayedPushes {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly push: PushServices,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Push `message` after `delayMs` (0: on the next turn, after the API answer left). */
  schedule(
    delayMs: number,
    req: { appid: string; userId: string; message: InboundPayload },
    done?: (r: PushResult) => void,
  ): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.push
        .send({ ...req, wait: true })
        .then((r) => done?.(r))
        .catch((err) => {
          this.log.error({ err: err instanceof Error ? err.message : String(err) }, "delayed push failed");
        });
    }, delayMs);
    this.timers.add(t);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
