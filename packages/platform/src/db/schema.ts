/**
 * The database schema type. It starts empty: each module declares its own tables by augmenting
 * this interface from its own `tables.ts`, so no shared file changes when a module is added:
 *
 * ```ts
 * declare module "../../db/schema.js" {
 *   interface Database { tags: TagTable }
 * }
 * ```
 *
 * Conventions (the same SQL must run on SQLite and PostgreSQL): text ids, times as `bigint`
 * milliseconds (numbers in TypeScript), booleans as integer 0/1, JSON as text.
 */
import type { Kysely, Transaction } from "kysely";

// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: store functions accept both. */
export type DbOrTx = Kysely<Database>;

/** `JSON.parse` for a JSON-as-text column, with a fallback for null/garbage. */
export function parseJsonColumn<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
