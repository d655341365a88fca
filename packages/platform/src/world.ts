/**
 * What store functions need to change the world: the database, the clock, and the event bus.
 * `ModuleContext` has all three, so a module passes its `ctx` where a `World` is asked for.
 */
import type { Clock } from "./clock.js";
import type { Db } from "./db/schema.js";
import type { PlatformEvents } from "./events.js";

export interface World {
  readonly db: Db;
  readonly clock: Clock;
  readonly events: PlatformEvents;
}
