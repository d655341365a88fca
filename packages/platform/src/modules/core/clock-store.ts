/**
 * The clock offset survives restarts: the core keeps it in `clock_state` (one row), so a world moved
 * forward by a test or the console is still at that time after a restart.
 */
import { ClockRangeError, type MutableClock } from "../../clock.js";
import type { Db } from "../../db/schema.js";

const CLOCK_ROW = "clock";

export class ClockStore {
  constructor(
    private readonly db: Db,
    private readonly clock: MutableClock,
  ) {}

  /** Write the clock's current offset. */
  async save(): Promise<void> {
    const offset = this.clock.offsetMs();
    await this.db
      .insertInto("clock_state")
      .values({ id: CLOCK_ROW, offset_ms: offset })
      .onConflict((oc) => oc.column("id").doUpdateSet({ offset_ms: offset }))
      .execute();
  }

  /** Set the clock from the stored offset (0 when none is stored). */
  async load(): Promise<void> {
    const row = await this.db
      .selectFrom("clock_state")
      .select("offset_ms")
      .where("id", "=", CLOCK_ROW)
      .executeTakeFirst();
    try {
      this.clock.setOffset(row ? Number(row.offset_ms) : 0);
    } catch (err) {
      // A stored offset out of range (an older platform stored any): start at real time instead.
      if (!(err instanceof ClockRangeError)) throw err;
      this.clock.setOffset(0);
    }
  }
}
