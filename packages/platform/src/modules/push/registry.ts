/**
 * `POST /_mpstack/users/{user}/events` is one route; each module registers the event types it
 * simulates (menu clicks, QR scans, location reports, …) through the push module's
 * `registerUserEvent` service, and the route dispatches by `type`.
 */
import type { Account } from "../../account.js";
import type { User } from "../simulated-users/index.js";

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

/** The user event types of one platform. */
export class UserEventRegistry {
  private readonly types = new Map<string, { handler: UserEventHandler; summary: string }>();

  /**
   * Register a type (`{"appid", "type", …}`). Types are lower-case simulator action names (`click`,
   * `scan`, `location`, …); `subscribe`, `unsubscribe` and `raw` are built in. Twice throws.
   */
  register(type: string, handler: UserEventHandler, summary = ""): void {
    if (this.types.has(type)) throw new Error(`user event type "${type}" is already registered`);
    this.types.set(type, { handler, summary });
  }

  handler(type: string): UserEventHandler | undefined {
    return this.types.get(type)?.handler;
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
