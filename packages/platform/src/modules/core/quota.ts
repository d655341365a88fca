/**
 * Per-API daily call counters (spec/basics.md §7): per account and API path, per day in UTC+8 by
 * the platform clock. Counts live in memory and are written behind in batches (a killed process
 * may forget the last ~100 ms of counts); they are loaded from the database on first use.
 */
import { type Clock, cstDay, cstMonth } from "../../clock.js";
import type { Db } from "../../db/schema.js";

interface Counter {
  day: number;
  used: number;
}

export class QuotaCounter {
  private readonly counters = new Map<string, Counter>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private async load(appid: string, path: string, day: number): Promise<Counter> {
    const key = `${appid}\u0000${path}`;
    const c = this.counters.get(key);
    if (c && c.day === day) return c;
    const row = await this.db
      .selectFrom("quota_usage")
      .select("used")
      .where("appid", "=", appid)
      .where("path", "=", path)
      .where("day", "=", day)
      .executeTakeFirst();
    // Another await may have created it meanwhile.
    const again = this.counters.get(key);
    if (again && again.day === day) return again;
    const fresh = { day, used: row?.used ?? 0 };
    this.counters.set(key, fresh);
    return fresh;
  }

  /**
   * Count one call. Returns false (and does not count) when `limit` calls were already made today.
   * `limit` undefined/null = unlimited (still counted, so quota/get can show it).
   */
  async consume(appid: string, path: string, limit: number | null | undefined): Promise<boolean> {
    const day = cstDay(this.clock.now());
    const c = await this.load(appid, path, day);
    if (limit !== null && limit !== undefined && c.used >= limit) return false;
    c.used += 1;
    this.markDirty(`${appid}\u0000${path}`);
    return true;
  }

  async used(appid: string, path: string): Promise<number> {
    return (await this.load(appid, path, cstDay(this.clock.now()))).used;
  }

  /** clear_quota: today's counters of every API of the account go back to zero. */
  async clearAccount(appid: string): Promise<void> {
    await this.flush();
    const day = cstDay(this.clock.now());
    for (const [key, c] of this.counters) if (key.startsWith(`${appid}\u0000`) && c.day === day) c.used = 0;
    await this.db.deleteFrom("quota_usage").where("appid", "=", appid).where("day", "=", day).execute();
  }

  /** Records a monthly reset; false when `limit` resets were already used this month. */
  async takeMonthlyReset(appid: string, limit: number): Promise<boolean> {
    const month = cstMonth(this.clock.now());
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("quota_resets")
        .select("count")
        .where("appid", "=", appid)
        .where("month", "=", month)
        .executeTakeFirst();
      const count = row?.count ?? 0;
      if (count >= limit) return false;
      await trx
        .insertInto("quota_resets")
        .values({ appid, month, count: 1 })
        .onConflict((oc) => oc.columns(["appid", "month"]).doUpdateSet({ count: count + 1 }))
        .execute();
      return true;
    });
  }

  /** Forget cached counters (after reset/import replaced the tables). */
  forget(): void {
    this.counters.clear();
    this.dirty.clear();
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), 100);
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const rows = [...this.dirty].flatMap((key) => {
      const c = this.counters.get(key);
      const [appid, path] = key.split("\u0000") as [string, string];
      return c ? [{ appid, path, day: c.day, used: c.used }] : [];
    });
    this.dirty.clear();
    this.flushing = this.flushing.then(async () => {
      if (rows.length === 0) return;
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const r of rows) {
            await trx
              .insertInto("quota_usage")
              .values(r)
              .onConflict((oc) => oc.columns(["appid", "path", "day"]).doUpdateSet({ used: r.used }))
              .execute();
          }
        });
      } catch {
        // counters stay in memory; the next flush writes them again
        for (const r of rows) this.dirty.add(`${r.appid}\u0000${r.path}`);
      }
    });
    return this.flushing;
  }
}
