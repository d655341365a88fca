/**
 * Bulk seeding of followers for tests and benchmarks: users, follow rows and UnionIDs written with
 * bulk inserts (rows passed as JSON, see `insertFromJson`) in large
 * transactions — where the follow API (one transaction and one event each) would take minutes for
 * a million. No events are emitted: nothing is pushed to the developer's server.
 *
 * OpenIDs are derived exactly as a follow derives them (`openids: "derived"`, the default), or, for
 * very large worlds, numbered (`"sequential"`: the account's 6-character OpenID prefix and a
 * zero-padded base-62 counter, still 28 characters). Numbered OpenIDs sort in follow order, so every
 * index of `follows` grows at its end: a million followers insert about three times faster than with
 * hashed OpenIDs, whose random order scatters two index inserts per row. The platform reads OpenIDs
 * from the rows, so both kinds behave the same in every API.
 */
import { CompiledQuery } from "kysely";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { Account } from "../accounts/types.js";
import { openidFor, unionidFor } from "../users/ids.js";
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

/** Columns and their PostgreSQL types (SQLite's `->>` already yields text, integer or null). */
type Columns = readonly (readonly [name: string, pgType: string])[];
const USER_COLUMNS: Columns = [
  ["id", "text"],
  ["nickname", "text"],
  ["avatar_url", "text"],
  ["sex", "integer"],
  ["language", "text"],
  ["country", "text"],
  ["province", "text"],
  ["city", "text"],
  ["created_at", "bigint"],
];
const FOLLOW_COLUMNS: Columns = [
  ["appid", "text"],
  ["user_id", "text"],
  ["openid", "text"],
  ["subscribed", "integer"],
  ["subscribe_time", "bigint"],
  ["subscribe_scene", "text"],
  ["qr_scene", "integer"],
  ["qr_scene_str", "text"],
  ["unsubscribe_time", "bigint"],
  ["created_at", "bigint"],
];
const UNIONID_COLUMNS: Columns = [
  ["open_platform_id", "text"],
  ["user_id", "text"],
  ["unionid", "text"],
];
/** Rows per INSERT statement (one JSON parameter each). */
const ROWS_PER_INSERT = 10_000;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n: number, width: number): string {
  let s = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) s = BASE62[v % 62] + s;
  return s.padStart(width, "0");
}

/**
 * Rows go in as ONE JSON parameter (an array of arrays) unpacked by the database (`json_each` /
 * `json_array_elements`): the statement stays short, so preparing it costs nothing next to the
 * rows, unlike a VALUES list with a placeholder per cell.
 */
function insertFromJson(postgres: boolean, table: string, columns: Columns, onConflict: string): string {
  const names = columns.map(([name]) => name).join(", ");
  const values = columns
    .map(([, type], i) => (postgres ? `(value->>${i})::${type}` : `value->>${i}`))
    .join(", ");
  const from = postgres ? "json_array_elements($1::json) as value" : "json_each(?)";
  // SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (parsing ambiguity).
  return `insert into ${table} (${names}) select ${values} from ${from} where true${onConflict}`;
}

class BulkInserter {
  private readonly text: string;
  constructor(postgres: boolean, table: string, columns: Columns, onConflict = "") {
    this.text = insertFromJson(postgres, table, columns, onConflict);
  }

  /** `rows`: each row already as JSON array text (built directly: far less garbage than arrays). */
  async insert(db: Db, rows: string[]): Promise<void> {
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const json = `[${rows.slice(at, at + ROWS_PER_INSERT).join(",")}]`;
      await db.executeQuery(CompiledQuery.raw(this.text, [json]));
    }
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
  const users = new BulkInserter(pg, "users", USER_COLUMNS, " on conflict (id) do nothing");
  const follows = new BulkInserter(pg, "follows", FOLLOW_COLUMNS);
  const unionids = new BulkInserter(pg, "unionids", UNIONID_COLUMNS, " on conflict do nothing");
  const accountPrefix = openidFor(account.appid, "").slice(0, 6);
  const openidOf = (id: string, n: number) =>
    opts.openids === "sequential" ? accountPrefix + base62(n, 22) : openidFor(account.appid, id);
  const [jAppid, jScene, jOp] = [account.appid, scene, op ?? ""].map((v) => JSON.stringify(v));
  const openids: string[] = [];
  for (let txStart = 0; txStart < opts.count; txStart += perTx) {
    const txEnd = Math.min(opts.count, txStart + perTx);
    await w.db.transaction().execute(async (trx) => {
      // Rows are built one statement's worth at a time: little garbage lives long.
      for (let from = txStart; from < txEnd; from += ROWS_PER_INSERT) {
        const to = Math.min(txEnd, from + ROWS_PER_INSERT);
        const userRows: string[] = [];
        const followRows: string[] = [];
        const unionRows: string[] = [];
        for (let i = from; i < to; i++) {
          // Zero-padded: ids sort in insertion order, so the primary keys grow at their ends.
          const id = `${prefix}${String(start + i).padStart(7, "0")}`;
          const openid = openidOf(id, start + i);
          openids.push(openid);
          // Follow order = index order: one millisecond apart, the last one now.
          const time = now - (opts.count - i);
          const jid = JSON.stringify(id);
          userRows.push(`[${jid},${jid},"",0,"zh_CN","","","",${time}]`);
          followRows.push(
            `[${jAppid},${jid},${JSON.stringify(openid)},1,${time},${jScene},0,"",null,${time}]`,
          );
          if (op) unionRows.push(`[${jOp},${jid},${JSON.stringify(unionidFor(op, id))}]`);
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
