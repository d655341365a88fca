/**
 * Opening the store: SQLite (a file in the data folder, WAL) by default, PostgreSQL with a
 * `postgres://` URL. One Kysely instance either way; the rest of the platform does not care which.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
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
  // WAL + synchronous=NORMAL: every committed transaction survives a killed process (kill -9);
  // only an OS crash or power loss may drop the last transactions.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: "sqlite", description: `sqlite ${file}` };
}

type SqliteHandle = import("better-sqlite3").Database;
type SqliteStatement = ReturnType<SqliteHandle["prepare"]>;

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
