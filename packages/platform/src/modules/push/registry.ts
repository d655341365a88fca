/**
 * `POST /_mpstack/users/{user}/events` is one route; each module registers the event types it
 * simulates (menu clicks, QR scans, location reports, …) and the route dispatches by `type`.
 */
import type { ModuleContext } from "../../context.js";
import type { Account } from "../accounts/types.js";
import type { User } from "../users/store.js";

export interface UserEventInput {
  /** The user (checked to exist). */
  user: User;
  /** The account named by `appid` (checked to exist). */
  account: Account;
  /** The whole JSON body (`appid`, `type` and the type's own fields). */
  body: Record<string, unknown>;
}

/** Returns the JSON answer (usually the `PushResult` of the push it made); throw SimulatorError for 4xx. */
export type UserEventHandler = (input: UserEventInput) => unknown | Promise<unknown>;

const registries = new WeakMap<object, Map<string, { handler: UserEventHandler; summary: string }>>();

function registryOf(ctx: ModuleContext) {
  // One platform = one database instance; keying by it keeps two platforms in one process apart.
  let r = registries.get(ctx.db);
  if (!r) {
    r = new Map();
    registries.set(ctx.db, r);
  }
  return r;
}

/**
 * Register a user event type for `POST /_mpstack/users/{user}/events` (`{"appid", "type", …}`).
 * Types are lower-case simulator action names (`click`, `scan`, `location`, …); `subscribe`,
 * `unsubscribe` and `raw` are built in. Registering a type twice throws.
 */
export function registerUserEvent(
  ctx: ModuleContext,
  type: string,
  handler: UserEventHandler,
  summary = "",
): void {
  const r = registryOf(ctx);
  if (r.has(type)) throw new Error(`user event type "${type}" is already registered`);
  r.set(type, { handler, summary });
}

export function userEventHandler(ctx: ModuleContext, type: string): UserEventHandler | undefined {
  return registryOf(ctx).get(type)?.handler;
}

export function userEventTypes(ctx: ModuleContext): string[] {
  return [...registryOf(ctx).keys()].sort();
}
