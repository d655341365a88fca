/**
 * Bulk seeding of followers for tests and benchmarks: users, follow rows and UnionIDs written with
 * bulk inserts (see `BulkInserter`) in large transactions — where the follow API (one transaction
 * and one event each) would take minutes for a million. No events are emitted: nothing is pushed to
 * the developer's server.
 *
 * OpenIDs are derived exactly as a follow derives them (`openids: "derived"`, the default), or, for
 * very large worlds, numbered (`"sequential"`: the account's 6-character OpenID prefix and a
 * zero-padded base-62 counter, still 28 characters). Numbered OpenIDs sort in follow order, so every
 * index of `follows` grows at its end: a million followers insert about three times faster than with
 * hashed OpenIDs, whose random order scatters two index inserts per row. The platform reads OpenIDs
 * from the rows, so both kinds behave the same in every API.
 */
import { CompiledQuery } from "kysely";
import type { Account } from "../../account.js";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import { openidFor, unionidFor } from "./ids.js";
import { forgetFollowerCount } from "./store.js";

export interface SeedFollowersOptions {
  count: number;
  /** User ids are `${userPrefix}${i}` (i zero-padded to 7 digits); default `seed`. Existing users are kept. */
  userPrefix?: string;
  /** First index (default 0), to seed more later. */
  start?: number;
  /** subscribe_scene of every follow (default ADD_SCENE_OTHERS). */
  scene?: string;
  openids?: "derived" | "sequential";
  /** Rows per transaction (default 100 000). */
  rowsPerTransaction?: number;
}

type Cell = string | number | null;

/**
 * A column, its PostgreSQL type, and — for a value every seeded row shares — that value, written
 * into the statement as a literal instead of being bound once per row.
 */
type Column = readonly [name: string, pgType: string, fixed?: Cell];

/** Rows per INSERT statement: SQLite binds one parameter per cell (≤ 32 766), PostgreSQL one JSON text. */
const SQLITE_ROWS_PER_INSERT = 500;
const PG_ROWS_PER_INSERT = 10_000;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n: number, width: number): string {
  let s = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) s = BASE62[v % 62] + s;
  return s.padStart(width, "0");
}

function literal(v: Cell): string {
  if (v === null) return "null";
  if (typeof v === "number") return String(v);
  return `'${v.replaceAll("'", "''")}'`;
}

/**
 * Bulk INSERTs whose text never changes within one seeding, so each is prepared once. SQLite: a
 * multi-row VALUES list with a placeholder per varying cell (binding is cheap; unpacking JSON in
 * SQL made SQLite's share twice as large). PostgreSQL: the rows as ONE JSON parameter unpacked by
 * `json_array_elements` (a VALUES list of 10 000 rows would pass its 65 535-parameter limit).
 * `insert` takes the varying cells of all rows one after another, each row in column order.
 */
class BulkInserter {
  private readonly names: string;
  private readonly width: number;
  private readonly sqliteTexts = new Map<number, string>();
  private readonly pgText: string;
  constructor(
    private readonly postgres: boolean,
    private readonly table: string,
    private readonly columns: readonly Column[],
    private readonly onConflict = "",
  ) {
    this.names = columns.map(([name]) => name).join(", ");
    const varying = columns.filter((c) => c.length < 3);
    this.width = varying.length;
    let i = 0;
    const pgValues = columns.map(([, type, ...fixed]) =>
      fixed.length > 0 ? `${literal(fixed[0] ?? null)}::${type}` : `(value->>${i++})::${type}`,
    );
    // A WHERE before ON CONFLICT in INSERT … SELECT (SQL parsing ambiguity).
    this.pgText = `insert into ${table} (${this.names}) select ${pgValues.join(", ")} from json_array_elements($1::json) as value where true${onConflict}`;
  }

  private sqliteText(rows: number): string {
    let text = this.sqliteTexts.get(rows);
    if (text === undefined) {
      const row = `(${this.columns.map(([, , ...fixed]) => (fixed.length > 0 ? literal(fixed[0] ?? null) : "?")).join(", ")})`;
      text = `insert into ${this.table} (${this.names}) values ${Array(rows).fill(row).join(", ")}${this.onConflict}`;
      this.sqliteTexts.set(rows, text);
    }
    return text;
  }

  async insert(db: Db, cells: Cell[]): Promise<void> {
    const per = (this.postgres ? PG_ROWS_PER_INSERT : SQLITE_ROWS_PER_INSERT) * this.width;
    for (let at = 0; at < cells.length; at += per) {
      const chunk = cells.slice(at, at + per);
      await db.executeQuery(
        this.postgres
          ? CompiledQuery.raw(this.pgText, [JSON.stringify(this.rowsOf(chunk))])
          : CompiledQuery.raw(this.sqliteText(chunk.length / this.width), chunk),
      );
    }
  }

  private rowsOf(cells: Cell[]): Cell[][] {
    const rows: Cell[][] = [];
    for (let at = 0; at < cells.length; at += this.width) rows.push(cells.slice(at, at + this.width));
    return rows;
  }
}

/** Seed `count` followers of `account`; answers their OpenIDs in follow order. */
export async function seedFollowers(
  w: World & { dialect: "sqlite" | "postgres" },
  account: Account,
  opts: SeedFollowersOptions,
): Promise<string[]> {
  const prefix = opts.userPrefix ?? "seed";
  const start = opts.start ?? 0;
  const perTx = opts.rowsPerTransaction ?? 100_000;
  const now = w.clock.now();
  const scene = opts.scene ?? "ADD_SCENE_OTHERS";
  const op = account.openPlatformId;
  const pg = w.dialect === "postgres";
  // Every seeded user: the id as nickname, no avatar, zh_CN; every follow: subscribed, no QR scene.
  const users = new BulkInserter(
    pg,
    "users",
    [
      ["id", "text"],
      ["nickname", "text"],
      ["avatar_url", "text", ""],
      ["sex", "integer", 0],
      ["language", "text", "zh_CN"],
      ["country", "text", ""],
      ["province", "text", ""],
      ["city", "text", ""],
      ["created_at", "bigint"],
    ],
    " on conflict (id) do nothing",
  );
  const follows = new BulkInserter(pg, "follows", [
    ["appid", "text", account.appid],
    ["user_id", "text"],
    ["openid", "text"],
    ["subscribed", "integer", 1],
    ["subscribe_time", "bigint"],
    ["subscribe_scene", "text", scene],
    ["qr_scene", "integer", 0],
    ["qr_scene_str", "text", ""],
    ["unsubscribe_time", "bigint", null],
    ["created_at", "bigint"],
  ]);
  const unionids = new BulkInserter(
    pg,
    "unionids",
    [
      ["open_platform_id", "text", op ?? ""],
      ["user_id", "text"],
      ["unionid", "text"],
    ],
    " on conflict do nothing",
  );
  const accountPrefix = openidFor(account.appid, "").slice(0, 6);
  const openidOf = (id: string, n: number) =>
    opts.openids === "sequential" ? accountPrefix + base62(n, 22) : openidFor(account.appid, id);
  const openids: string[] = [];
  for (let txStart = 0; txStart < opts.count; txStart += perTx) {
    const txEnd = Math.min(opts.count, txStart + perTx);
    await w.db.transaction().execute(async (trx) => {
      // Rows are built 10 000 at a time: little garbage lives long.
      for (let from = txStart; from < txEnd; from += PG_ROWS_PER_INSERT) {
        const to = Math.min(txEnd, from + PG_ROWS_PER_INSERT);
        const userRows: Cell[] = [];
        const followRows: Cell[] = [];
        const unionRows: Cell[] = [];
        for (let i = from; i < to; i++) {
          // Zero-padded: ids sort in insertion order, so the primary keys grow at their ends.
          const id = `${prefix}${String(start + i).padStart(7, "0")}`;
          const openid = openidOf(id, start + i);
          openids.push(openid);
          // Follow order = index order: one millisecond apart, the last one now.
          const time = now - (opts.count - i);
          userRows.push(id, id, time);
          followRows.push(id, openid, time, time);
          if (op) unionRows.push(id, unionidFor(op, id));
        }
        await users.insert(trx, userRows);
        await follows.insert(trx, followRows);
        if (unionRows.length > 0) await unionids.insert(trx, unionRows);
      }
    });
  }
  forgetFollowerCount(w.db, account.appid);
  return openids;
}
