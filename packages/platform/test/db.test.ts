/**
 * The SQLite storage layer's own rules: one process owns a data folder (exclusive locking), and
 * the direct fast paths (compiledRead, sqliteBatchWriter) never see or join a Kysely transaction.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { compiledRead, type OpenedDatabase, openDatabase, sqliteBatchWriter } from "../src/db/open.js";
import { createPlatform } from "../src/index.js";
import { tempDir } from "./helpers.js";

type T = {
  t: { x: number; y: string };
};

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];

async function fresh(): Promise<{ dir: string; o: OpenedDatabase }> {
  const dir = tempDir();
  dirs.push(dir);
  const o = await openDatabase({ dataDir: dir });
  opened.push(o);
  await sql`create table t (x integer primary key, y text not null)`.execute(o.db);
  return { dir, o };
}

afterEach(async () => {
  for (const o of opened.splice(0)) await o.db.destroy().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("SQLite data folder", () => {
  it("is owned by one platform: a second one fails at once with a clear message", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await createPlatform({ dataDir: dir, port: 0 });
    try {
      const started = Date.now();
      await expect(createPlatform({ dataDir: dir, port: 0 })).rejects.toThrow(
        /data folder .* is in use by another mpstack process/,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      // Another process cannot read it behind the platform's back either.
      expect(() =>
        execFileSync(
          process.execPath,
          [
            "-e",
            `const D = require("better-sqlite3"); new D(${JSON.stringify(join(dir, "mpstack.db"))}, { timeout: 0 }).prepare("select count(*) from accounts").get();`,
          ],
          { stdio: "pipe" },
        ),
      ).toThrow(/database is locked/);
    } finally {
      await first.close();
    }
    // Closed: the folder opens again with its world.
    const again = await createPlatform({ dataDir: dir, port: 0 });
    expect((await again.accounts()).length).toBeGreaterThan(0);
    await again.close();
  });
});

describe("compiledRead", () => {
  it("reads committed rows, and waits for a Kysely transaction instead of reading its rows", async () => {
    const { o } = await fresh();
    const { db } = o;
    await db
      .insertInto("t" as never)
      .values({ x: 1, y: "one" } as never)
      .execute();
    const read = compiledRead(
      db.withTables<T>(),
      db.withTables<T>().selectFrom("t").selectAll().orderBy("x").compile(),
    );
    expect(await read([])).toEqual([{ x: 1, y: "one" }]);

    let during: Promise<unknown[]> | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto("t" as never)
          .values({ x: 2, y: "two" } as never)
          .execute();
        during = read([]);
        await new Promise((r) => setTimeout(r, 20));
        throw new Error("roll back");
      })
      .catch(() => {});
    // The read issued mid-transaction answered after the rollback, without the rolled-back row.
    expect(await during).toEqual([{ x: 1, y: "one" }]);
  });

  it("binds its parameters", async () => {
    const { o } = await fresh();
    const db = o.db.withTables<T>();
    await db
      .insertInto("t")
      .values([
        { x: 1, y: "a" },
        { x: 2, y: "b" },
      ])
      .execute();
    const read = compiledRead(db, db.selectFrom("t").select("y").where("x", "=", 0).compile());
    expect(await read([2])).toEqual([{ y: "b" }]);
    expect(await read([3])).toEqual([]);
  });
});

describe("sqliteBatchWriter", () => {
  it("writes every row in one transaction, and declines while a Kysely transaction is open", async () => {
    const { o } = await fresh();
    const db = o.db.withTables<T>();
    const write = sqliteBatchWriter(db, "insert into t (x, y) values (?, ?)");
    expect(write).toBeDefined();
    expect(
      write?.([
        [1, "a"],
        [2, "b"],
      ]),
    ).toBe(true);
    expect(await db.selectFrom("t").select("x").orderBy("x").execute()).toEqual([{ x: 1 }, { x: 2 }]);

    // A failing row rolls the whole batch back.
    expect(() =>
      write?.([
        [3, "c"],
        [1, "dup"],
      ]),
    ).toThrow(/UNIQUE/);
    expect((await db.selectFrom("t").select("x").execute()).length).toBe(2);

    await db.transaction().execute(async () => {
      expect(write?.([[4, "d"]])).toBe(false);
    });
    expect((await db.selectFrom("t").select("x").execute()).length).toBe(2);
  });
});
