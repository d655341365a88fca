/**
 * The API journal: every WeChat API call by its rid (request, response, errcode, latency, client
 * ip), kept 7 days — what `/cgi-bin/openapi/rid/get` reads. Entries are written behind the answer
 * in small batches (one transaction per batch), so journaling costs the request almost nothing;
 * a killed process may lose the last ~100 ms of entries (the world itself is never written here).
 */
import type { Clock } from "../../clock.js";
import { sqliteBatchWriter } from "../../db/open.js";
import type { Db } from "../../db/schema.js";
import type { JournalTable } from "./tables.js";

export type JournalEntry = JournalTable;

const KEEP_MS = 7 * 86_400_000;
/** Rows are deleted a day after they stop being readable, so rid/get can still answer "expired". */
const DELETE_AFTER_MS = KEEP_MS + 86_400_000;
const MAX_TEXT = 64 * 1024;

const COLUMNS = [
  "rid",
  "appid",
  "method",
  "path",
  "query",
  "body",
  "response",
  "errcode",
  "latency_ms",
  "client_ip",
  "time",
] as const satisfies readonly (keyof JournalEntry)[];
const INSERT_ONE = `insert into journal (${COLUMNS.join(", ")}) values (${COLUMNS.map(() => "?").join(", ")}) on conflict (rid) do nothing`;

export class Journal {
  private pending: JournalEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastPrune = 0;
  /** SQLite: the batch in one synchronous transaction (a third of the cost of Kysely inserts). */
  private readonly sqliteWrite: ((rows: readonly unknown[][]) => boolean) | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly flushMs = 100,
    /** Called with each recorded entry (the core emits `api.call` from it). */
    private readonly onRecord?: (entry: JournalEntry) => void,
  ) {
    this.sqliteWrite = sqliteBatchWriter(db, INSERT_ONE);
  }

  static readonly keepMs = KEEP_MS;

  record(entry: JournalEntry): void {
    entry.body = clip(entry.body);
    entry.response = clip(entry.response);
    entry.query = clip(entry.query);
    this.pending.push(entry);
    this.onRecord?.(entry);
    if (this.pending.length >= 500) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Write everything recorded so far. Safe to call concurrently. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length > 0) {
        try {
          await this.write(batch);
        } catch {
          // The journal is diagnostics; losing a batch (e.g. during a reset) must never break a call.
        }
      }
      await this.prune();
    });
    return this.flushing;
  }

  private async write(batch: JournalEntry[]): Promise<void> {
    if (this.sqliteWrite?.(batch.map((e) => COLUMNS.map((c) => e[c])))) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.length; i += 200) {
        await trx
          .insertInto("journal")
          .values(batch.slice(i, i + 200))
          .onConflict((oc) => oc.column("rid").doNothing())
          .execute();
      }
    });
  }

  async get(rid: string): Promise<JournalEntry | undefined> {
    await this.flush();
    return this.db.selectFrom("journal").selectAll().where("rid", "=", rid).executeTakeFirst();
  }

  /** Entries of one account, newest first (for the console and tests). */
  async list(
    opts: { appid?: string; path?: string; errcode?: number; limit?: number; before?: number } = {},
  ): Promise<JournalEntry[]> {
    await this.flush();
    let q = this.db.selectFrom("journal").selectAll();
    if (opts.appid) q = q.where("appid", "=", opts.appid);
    if (opts.path) q = q.where("path", "=", opts.path);
    if (opts.errcode !== undefined) q = q.where("errcode", "=", opts.errcode);
    if (opts.before) q = q.where("time", "<", opts.before);
    return q
      .orderBy("time", "desc")
      .orderBy("rid", "desc")
      .limit(Math.min(opts.limit ?? 100, 1000))
      .execute();
  }

  /** Drop whatever is buffered (used by reset/import, which replace the world). */
  discardPending(): void {
    this.pending = [];
  }

  private async prune(): Promise<void> {
    const now = this.clock.now();
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    try {
      await this.db
        .deleteFrom("journal")
        .where("time", "<", now - DELETE_AFTER_MS)
        .execute();
    } catch {
      // pruning is best effort
    }
  }
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…(truncated)` : text;
}
