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
  /** Move the clock forward (or backward, with a negative value). */
  advance(ms: number): void;
  /** Set the offset directly (used when loading the persisted value and on reset). */
  setOffset(ms: number): void;
}

export function createClock(offset = 0, realNow: () => number = Date.now): MutableClock {
  let off = offset;
  return {
    now: () => realNow() + off,
    nowSeconds: () => Math.floor((realNow() + off) / 1000),
    offsetMs: () => off,
    advance: (ms) => {
      off += ms;
    },
    setOffset: (ms) => {
      off = ms;
    },
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
