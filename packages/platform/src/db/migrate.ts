/**
 * Migrations: each module exports an ordered list; `src/modules/index.ts` fixes the module order.
 * A migration runs once, in its own transaction, and is recorded in `mpstack_migrations`.
 * Write them with Kysely's schema builder and portable types only (text, integer, bigint) so the
 * same migration runs on SQLite and PostgreSQL; `dialect` is there for the rare storage-layout
 * step that only one of them needs.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "./open.js";
import type { Db } from "./schema.js";

export interface Migration {
  /** Unique and never renamed, e.g. `users.001_follows`. */
  readonly id: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS_TABLE = "mpstack_migrations";

export async function migrate(db: Db, migrations: readonly Migration[], dialect: Dialect): Promise<string[]> {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("applied_at", "bigint", (c) => c.notNull())
    .execute();
  const rows = await sql<{ id: string }>`select id from ${sql.table(MIGRATIONS_TABLE)}`.execute(db);
  const applied = new Set(rows.rows.map((r) => r.id));
  const ran: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx, dialect);
      await sql`insert into ${sql.table(MIGRATIONS_TABLE)} (id, applied_at) values (${m.id}, ${Date.now()})`.execute(
        trx,
      );
    });
    ran.push(m.id);
  }
  return ran;
}
