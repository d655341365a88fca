/**
 * Per-minute counters on the platform clock, for the limits of spec/oauth.md: 50 000 `sns/*` calls
 * a minute per account and path (45011) and the authorize page's "too frequent" (10009). Counts of
 * past minutes are dropped as soon as the minute turns, so memory stays bounded by one minute's keys.
 */
import type { Clock } from "../../clock.js";

export class MinuteCounter {
  private minute = -1;
  private counts = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** Count one more for `key`; false when that makes more than `limit` this minute. */
  take(key: string, limit: number): boolean {
    const minute = Math.floor(this.clock.now() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= limit;
  }

  clear(): void {
    this.counts.clear();
  }
}
