/**
 * The platform's one clock. Every time rule (token expiry, daily quotas, 48-hour windows, code
 * expiry) reads `clock.now()`, never `Date.now()`, so tests and the simulator API can move time.
 * The clock is real time plus an offset; the offset is persisted so a restart keeps the moved time.
 */

export interface Clock {
  /** Current platform time in milliseconds since the epoch. */
  now(): number;
  /** Current platform time in whole Unix seconds (what WeChat's APIs show). */
  nowSeconds(): number;
  /** The offset from real time in milliseconds. */
  offsetMs(): number;
}

export interface MutableClock extends Clock {
  /** Move the clock forward (or backward, with a negative value). Throws ClockRangeError (unchanged). */
  advance(ms: number): void;
  /** Set the offset directly (loading the persisted value, reset). Throws ClockRangeError (unchanged). */
  setOffset(ms: number): void;
}

/**
 * The range platform time may be moved within: 2000-01-01 to 2099-12-31 (UTC). Ids, rids and
 * WeChat's CreateTime carry 32-bit Unix seconds, and tokens and windows are computed from it.
 */
export const CLOCK_MIN_MS = Date.UTC(2000, 0, 1);
export const CLOCK_MAX_MS = Date.UTC(2100, 0, 1) - 1;

/** A move of the clock that would leave `CLOCK_MIN_MS … CLOCK_MAX_MS` (or is not a finite number). */
export class ClockRangeError extends RangeError {
  constructor() {
    super(
      `the platform time must stay between ${new Date(CLOCK_MIN_MS).toISOString()} and ${new Date(CLOCK_MAX_MS).toISOString()}`,
    );
    this.name = "ClockRangeError";
  }
}

export function createClock(offset = 0, realNow: () => number = Date.now): MutableClock {
  let off = 0;
  const set = (ms: number) => {
    const at = realNow() + ms;
    if (!Number.isSafeInteger(ms) || !(at >= CLOCK_MIN_MS && at <= CLOCK_MAX_MS)) throw new ClockRangeError();
    off = ms;
  };
  set(offset);
  return {
    now: () => realNow() + off,
    nowSeconds: () => Math.floor((realNow() + off) / 1000),
    offsetMs: () => off,
    advance: (ms) => set(off + ms),
    setOffset: set,
  };
}

/** WeChat's days and months turn at midnight China Standard Time (UTC+8). */
const CST_OFFSET_MS = 8 * 3600 * 1000;

/** Day number (days since the epoch, in UTC+8) — the key of daily quotas. */
export function cstDay(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / 86_400_000);
}

/** `YYYY-MM` in UTC+8 — the key of monthly limits (quota resets). */
export function cstMonth(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
