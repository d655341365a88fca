/**
 * The push module's platform events, for the live event stream: a push was written to the outbox,
 * one attempt ended, the push reached its final state. Small summaries: the console reads the whole
 * push (request, response, decrypted view) with `GET /_mpstack/pushes/{id}`.
 */
import type { PlatformEvents } from "../../events.js";
import type { PushAttemptRecord, PushStatus } from "./outbox.js";
import type { PushTable } from "./tables.js";

export interface PushEventBase {
  pushId: string;
  appid: string;
  user: string;
}

declare module "../../events.js" {
  interface PlatformEventMap {
    "push.created": PushEventBase & {
      msgType: string;
      event: string | null;
      status: PushStatus;
      createdAt: number;
    };
    "push.attempt": PushEventBase & {
      attempt: number;
      outcome: string;
      latencyMs: number;
      /** HTTP status of the answer, null when none arrived. */
      httpStatus: number | null;
      error: string | null;
    };
    "push.finished": PushEventBase & { status: PushStatus; attempts: number };
  }
}

const base = (row: PushTable): PushEventBase => ({ pushId: row.id, appid: row.appid, user: row.user_id });

export function emitPushCreated(events: PlatformEvents, row: PushTable): void {
  events.emit("push.created", {
    ...base(row),
    msgType: row.msg_type,
    event: row.event,
    status: row.status as PushStatus,
    createdAt: row.created_at,
  });
}

export function emitPushAttempt(events: PlatformEvents, row: PushTable, a: PushAttemptRecord): void {
  events.emit("push.attempt", {
    ...base(row),
    attempt: a.attempt,
    outcome: a.outcome,
    latencyMs: a.latencyMs,
    httpStatus: a.response?.status ?? null,
    error: a.error ?? null,
  });
}

export function emitPushFinished(
  events: PlatformEvents,
  row: PushTable,
  status: PushStatus,
  attempts: number,
): void {
  events.emit("push.finished", { ...base(row), status, attempts });
}
