/**
 * The whole world as data: every table's rows. Used by reset, export and import. Generic over the
 * tables that exist (read from the database catalog), so a module's new tables are included automatically.
 */
import { type Kysely, PostgresAdapter, sql } from "kysely";
import { MIGRATIONS_TABLE } from "./migrate.js";
import type { Db } from "./schema.js";

export const WORLD_FORMAT = "mpstack-world";
export const WORLD_VERSION = 1;

export type Row = Record<string, string | number | null>;

export interface WorldSnapshot {
  format: typeof WORLD_FORMAT;
  version: number;
  exportedAt: number;
  /** Migration ids applied to the exporting database (informative). */
  migrations: string[];
  tables: Record<string, Row[]>;
  /** State modules carry beside the tables (e.g. media files), by part name (module.ts `WorldPart`). */
  parts?: Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: tables are discovered at run time
type Untyped = Kysely<any>;

interface OwnTable {
  name: string;
  columns: { name: string }[];
}

/**
 * The tables of this world (base tables, no views). On PostgreSQL only the current schema (the
 * `?schema=` of the URL, else public) is this world's: the catalog is read for that schema alone,
 * since Kysely's introspection reads every schema of the database (thousands of tables on a test
 * server, seconds per call).
 */
async function ownTables(db: Db): Promise<OwnTable[]> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const rows = await sql<{ t: string; c: string }>`
      select c.relname as t, a.attname as c
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = current_schema() and c.relkind in ('r', 'p')
      order by c.relname, a.attnum`.execute(db);
    const byName = new Map<string, OwnTable>();
    for (const r of rows.rows) {
      const t = byName.get(r.t) ?? { name: r.t, columns: [] };
      byName.set(r.t, t);
      t.columns.push({ name: r.c });
    }
    return [...byName.values()];
  }
  return (await db.introspection.getTables()).filter((t) => !t.isView);
}

async function worldTables(db: Db): Promise<string[]> {
  const tables = await ownTables(db);
  return tables
    .filter((t) => t.name !== MIGRATIONS_TABLE && !t.name.startsWith("sqlite_"))
    .map((t) => t.name)
    .sort();
}

/** Every table's rows, except `skip` (tables a world part carries itself). */
export async function exportWorld(
  db: Db,
  now: number,
  skip: ReadonlySet<string> = new Set(),
): Promise<WorldSnapshot> {
  const u = db as unknown as Untyped;
  const out: Record<string, Row[]> = {};
  for (const t of await worldTables(db)) {
    if (!skip.has(t)) out[t] = (await u.selectFrom(t).selectAll().execute()) as Row[];
  }
  const migrations = await sql<{
    id: string;
  }>`select id from ${sql.table(MIGRATIONS_TABLE)} order by id`.execute(db);
  return {
    format: WORLD_FORMAT,
    version: WORLD_VERSION,
    exportedAt: now,
    migrations: migrations.rows.map((r) => r.id),
    tables: out,
  };
}

/** Delete every row of every world table (schema and migrations stay). */
export async function clearWorld(db: Db): Promise<void> {
  const u = db as unknown as Untyped;
  const tables = await worldTables(db);
  await u.transaction().execute(async (trx) => {
    for (const t of tables) await trx.deleteFrom(t).execute();
  });
}

export function checkSnapshot(value: unknown): WorldSnapshot {
  const v = value as Partial<WorldSnapshot> | null;
  if (!v || typeof v !== "object" || v.format !== WORLD_FORMAT) {
    throw new Error(`not an mpstack world export (format must be "${WORLD_FORMAT}")`);
  }
  if (typeof v.version !== "number" || v.version > WORLD_VERSION) {
    throw new Error(`unsupported world export version ${String(v.version)}`);
  }
  if (!v.tables || typeof v.tables !== "object") throw new Error("world export: tables missing");
  return v as WorldSnapshot;
}

/**
 * Replace the world by a snapshot, in one transaction. Unknown tables and columns are skipped, and
 * so are the tables in `skip` (emptied all the same: their world part imports them).
 */
export async function importWorld(
  db: Db,
  snapshot: WorldSnapshot,
  skip: ReadonlySet<string> = new Set(),
): Promise<void> {
  const u = db as unknown as Untyped;
  const tables = await ownTables(db);
  const known = new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
  const names = await worldTables(db);
  await u.transaction().execute(async (trx) => {
    for (const t of names) await trx.deleteFrom(t).execute();
    for (const [table, rows] of Object.entries(snapshot.tables)) {
      const columns = known.get(table);
      if (!columns || table === MIGRATIONS_TABLE || skip.has(table) || !Array.isArray(rows)) continue;
      const clean = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => columns.has(k))));
      // Chunks keep under SQLite's bound-parameter limit.
      for (let i = 0; i < clean.length; i += 200) {
        const chunk = clean.slice(i, i + 200).filter((r) => Object.keys(r).length > 0);
        if (chunk.length > 0) await trx.insertInto(table).values(chunk).execute();
      }
    }
  });
}
