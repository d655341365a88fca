/**
 * Migration `cards.002_tickets_in_jssdk`: a data folder whose card api_tickets were kept in the
 * cards module's own table (before the bridge and the cards module shared the jssdk ticket store)
 * opens with its tickets still valid, now in the one store getticket fills, and the old table gone.
 */
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { start, tempDir } from "./helpers.js";

const require = createRequire(import.meta.url);
type Sqlite = new (
  file: string,
) => {
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] };
  close(): void;
};
const Database = require("better-sqlite3") as Sqlite;

const VV = "wxd000000000000004";

describe("cards.002: card api_tickets move into the jssdk ticket store", () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a live ticket of the old table valid and drops the table", async () => {
    mkdirSync(dir, { recursive: true });
    const first = await start({ dataDir: dir });
    const now = first.platform.clock.now();
    await first.close();

    // The folder as cards.001 left it: the ticket in card_api_tickets, cards.002 not yet run.
    const file = new Database(join(dir, "mpstack.db"));
    file.exec(`create table card_api_tickets (ticket text primary key, appid text not null, expires_at bigint not null);
      delete from jssdk_tickets; delete from mpstack_migrations where id = 'cards.002_tickets_in_jssdk';`);
    file.prepare("insert into card_api_tickets values (?, ?, ?)").run("old-live-ticket", VV, now + 3_600_000);
    file.prepare("insert into card_api_tickets values (?, ?, ?)").run("old-dead-ticket", VV, now - 1000);
    file.close();

    const again = await start({ dataDir: dir });
    try {
      const tickets = (await again.get(`/_mpstack/accounts/${VV}/jssdk/tickets`)).body;
      expect(tickets.wx_card).toEqual(["old-live-ticket"]);
      const left = await again.platform.db
        .selectFrom("mpstack_migrations" as never)
        .select("id" as never)
        .execute();
      expect(left.map((r) => (r as { id: string }).id)).toContain("cards.002_tickets_in_jssdk");
    } finally {
      await again.close();
    }
    const after = new Database(join(dir, "mpstack.db"));
    const tables = after.prepare("select name from sqlite_master where name = 'card_api_tickets'").all();
    after.close();
    expect(tables).toEqual([]);
  });
});
