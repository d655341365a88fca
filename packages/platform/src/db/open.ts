/**
 * Opening the store: SQLite (a file in the data folder, WAL) by default, PostgreSQL with a
 * `postgres://` URL. One Kysely instance either way; the rest of the platform does not care which.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type { Database, Db } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface OpenedDatabase {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, for the banner (never contains a password). */
  description: string;
}

export interface OpenOptions {
  /** Data folder for the SQLite file `mpstack.db` (created if missing). */
  dataDir?: string;
  /**
   * `postgres://user:pass@host:port/db`. Extra query parameter `schema=NAME` puts every table in
   * that schema (created if missing) — lets several worlds, or test runs, share one database.
   */
  databaseUrl?: string;
}

export async function openDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  const dir = options.dataDir ?? ".mpstack";
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "mpstack.db");
  const { default: SQLite } = await import("better-sqlite3");
  const database = new SQLite(file);
  try {
    // One platform process owns its data folder: exclusive locking, set before WAL is first used,
    // keeps the WAL index in process memory and takes no file lock per statement (each lock pair
    // is a pair of system calls, as dear as the indexed lookup itself). A second process on the
    // same folder would see none of this one's in-memory caches; it fails at once instead.
    database.pragma("locking_mode = exclusive");
    database.pragma("busy_timeout = 0");
    // WAL + synchronous=NORMAL: every committed transaction survives a killed process (kill -9);
    // only an OS crash or power loss may drop the last transactions.
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    // Reads through the OS page cache without a read() per page the SQLite cache lacks.
    database.pragma(`mmap_size = ${MMAP_BYTES}`);
    // Takes the lock now (an exclusive WAL database holds it from the first write on).
    database.exec("begin immediate; commit");
  } catch (err) {
    database.close();
    if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      throw new Error(
        `data folder ${dir} is in use by another mpstack process (stop it, or read its world with GET /_mpstack/world)`,
      );
    }
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  sqliteHandles.set(db.getExecutor(), database);
  return { db, dialect: "sqlite", description: `sqlite ${file}` };
}

/** SQLite maps up to this much of the database file (1 GiB: a world of millions of followers). */
const MMAP_BYTES = 1 << 30;

type SqliteHandle = import("better-sqlite3").Database;
type SqliteStatement = ReturnType<SqliteHandle["prepare"]>;

/**
 * SQLite handles by the Kysely executor of their root instance: `withTables()` views share it and
 * find the handle; a transaction has its own executor and never does (it must use its connection).
 */
const sqliteHandles = new WeakMap<object, SqliteHandle>();
const handleOf = <DB>(db: Kysely<DB>) => (db.isTransaction ? undefined : sqliteHandles.get(db.getExecutor()));

/**
 * SQLite only: a writer that runs the statement `sqlText` once per parameter list, all in one
 * synchronous transaction straight on the prepared statement (no Kysely round trip per row). It
 * answers false, having written nothing, while a Kysely transaction holds the connection (the rows
 * would join that transaction); undefined on PostgreSQL. For write-behind batches (the journal).
 */
export function sqliteBatchWriter<DB>(
  db: Kysely<DB>,
  sqlText: string,
): ((rows: readonly unknown[][]) => boolean) | undefined {
  const handle = handleOf(db);
  if (!handle) return undefined;
  let run: ((rows: readonly unknown[][]) => void) | undefined;
  return (rows) => {
    if (!handle.open || handle.inTransaction) return false;
    if (!run) {
      const stmt = handle.prepare(sqlText);
      run = handle.transaction((all: readonly unknown[][]) => {
        for (const row of all) stmt.run(row);
      });
    }
    run(rows);
    return true;
  };
}

/**
 * A read compiled once, for the platform's hottest queries. On SQLite it runs straight on the
 * cached prepared statement: Kysely's executor (connection mutex, plugins, promise chain) costs
 * about what the indexed lookup itself costs. While a transaction holds SQLite's one connection,
 * and always on PostgreSQL, it goes through Kysely (so it never reads uncommitted rows).
 */
export function compiledRead<R, DB>(
  db: Kysely<DB>,
  query: CompiledQuery<R>,
): (parameters: readonly unknown[]) => Promise<R[]> {
  const handle = handleOf(db);
  let stmt: SqliteStatement | undefined;
  return async (parameters) => {
    if (handle?.open && !handle.inTransaction) {
      stmt ??= handle.prepare(query.sql);
      return stmt.all(parameters) as R[];
    }
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small indexed
 * query. Statements are reused by their SQL text (the platform's queries are a small fixed set,
 * parameters are bound, so the cache stays small; it is bounded all the same). Safe because
 * better-sqlite3 runs each statement to completion synchronously (the platform never streams).
 */
function withStatementCache(database: SqliteHandle, max = 2000) {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (text: string): SqliteStatement => {
      let stmt = cache.get(text);
      if (stmt === undefined) {
        stmt = database.prepare(text);
        if (cache.size >= max) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

async function openPostgres(rawUrl: string): Promise<OpenedDatabase> {
  const url = new URL(rawUrl);
  const schema = url.searchParams.get("schema");
  url.searchParams.delete("schema");
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`database-url: schema must be a lower-case SQL identifier, got "${schema}"`);
  }
  const pg = await import("pg");
  const { Pool, types } = pg.default;
  // bigint (int8) columns hold millisecond times and counters: read them as JS numbers.
  const INT8 = 20;
  const NUMERIC = 1700;
  const pool = new Pool({
    connectionString: url.toString(),
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8 || oid === NUMERIC
          ? (v: string) => Number(v)
          : types.getTypeParser(oid, format ?? "text")) as typeof types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const safe = new URL(url.toString());
  safe.password = "";
  return {
    db,
    dialect: "postgres",
    description: `postgres ${safe.host}${safe.pathname}${schema ? ` schema ${schema}` : ""}`,
  };
}
