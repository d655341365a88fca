/**
 * Accounts and open platforms. Reads go through a per-database cache (every API call resolves
 * its account), writes go to the database first and then refresh the cache.
 */
import { randomBytes } from "node:crypto";
import { type AccountType, accountKind, type Grant } from "@mpstack/protocol";
import type { Account, OpenPlatform, ServerMode } from "../../account.js";
import { dbCache } from "../../db/cache.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import { notFound } from "../../http/simulator.js";
import type { World } from "../../world.js";
import type { AccountConfig } from "./config.js";
import type { AccountTable } from "./tables.js";

const cache = (db: Db) => dbCache<Account>(db, "accounts");

function fromRow(r: AccountTable): Account {
  return {
    appid: r.appid,
    secret: r.secret,
    name: r.name,
    originalId: r.original_id,
    type: r.type as AccountType,
    verified: r.verified === 1,
    grants: parseJsonColumn<Grant[]>(r.grants, []),
    openPlatformId: r.open_platform_id,
    server: {
      url: r.server_url,
      token: r.server_token,
      encodingAESKey: r.server_aes_key,
      mode: r.server_mode as ServerMode,
    },
    ipWhitelist: parseJsonColumn<string[]>(r.ip_whitelist, []),
    oauthDomains: parseJsonColumn<string[]>(r.oauth_domains, []),
    jssdkDomains: parseJsonColumn<string[]>(r.jssdk_domains, []),
    policies: parseJsonColumn(r.policies, {}),
    seq: r.seq,
    createdAt: r.created_at,
  };
}

function toRow(a: Omit<Account, "seq" | "createdAt">): Omit<AccountTable, "seq" | "created_at"> {
  return {
    appid: a.appid,
    secret: a.secret,
    name: a.name,
    original_id: a.originalId,
    type: a.type,
    verified: a.verified ? 1 : 0,
    open_platform_id: a.openPlatformId,
    grants: JSON.stringify(a.grants),
    server_url: a.server.url,
    server_token: a.server.token,
    server_aes_key: a.server.encodingAESKey,
    server_mode: a.server.mode,
    ip_whitelist: JSON.stringify(a.ipWhitelist),
    oauth_domains: JSON.stringify(a.oauthDomains),
    jssdk_domains: JSON.stringify(a.jssdkDomains),
    policies: JSON.stringify(a.policies),
  };
}

export async function getAccount(db: Db, appid: string): Promise<Account | undefined> {
  const c = cache(db);
  const hit = c.get(appid);
  if (hit) return hit;
  const row = await db.selectFrom("accounts").selectAll().where("appid", "=", appid).executeTakeFirst();
  if (!row) return undefined;
  const a = fromRow(row);
  c.set(appid, a);
  return a;
}

/** For simulator routes: the account, or a 404 `account … not found`. */
export async function requireAccount(db: Db, appid: string): Promise<Account> {
  const a = await getAccount(db, appid);
  if (!a) throw notFound(`account ${appid}`);
  return a;
}

/** The config-file shape of an existing account (so a change validates exactly like the config). */
export function accountConfigShape(a: Account): Record<string, unknown> {
  return {
    appid: a.appid,
    secret: a.secret,
    name: a.name,
    type: a.type,
    verified: a.verified,
    openPlatform: a.openPlatformId,
    grants: a.grants,
    originalId: a.originalId,
    server: { ...a.server },
    ipWhitelist: a.ipWhitelist,
    oauthDomains: a.oauthDomains,
    jssdkDomains: a.jssdkDomains,
    policies: a.policies,
  };
}

export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = await db.selectFrom("accounts").selectAll().orderBy("seq").execute();
  return rows.map(fromRow);
}

export function accountFromConfig(cfg: AccountConfig): Omit<Account, "seq" | "createdAt"> {
  return {
    appid: cfg.appid,
    secret: cfg.secret,
    name: cfg.name,
    originalId: cfg.originalId,
    type: cfg.type,
    verified: cfg.verified,
    grants: cfg.grants,
    openPlatformId: cfg.openPlatform,
    server: { ...cfg.server },
    ipWhitelist: cfg.ipWhitelist,
    oauthDomains: cfg.oauthDomains,
    jssdkDomains: cfg.jssdkDomains,
    policies: cfg.policies,
  };
}

/** Insert, or replace every declared field of an existing account (its seq and tokens stay). */
export async function upsertAccount(w: World, a: Omit<Account, "seq" | "createdAt">): Promise<Account> {
  const row = toRow(a);
  await w.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("accounts")
      .select("seq")
      .where("appid", "=", a.appid)
      .executeTakeFirst();
    if (existing) {
      await trx.updateTable("accounts").set(row).where("appid", "=", a.appid).execute();
    } else {
      const max = await trx
        .selectFrom("accounts")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirst();
      const seq = Number(max?.m ?? 0) + 1;
      await trx
        .insertInto("accounts")
        .values({ ...row, seq, created_at: w.clock.now() })
        .execute();
    }
  });
  cache(w.db).delete(a.appid);
  w.events.emit("account.updated", { appid: a.appid });
  const saved = await getAccount(w.db, a.appid);
  if (!saved) throw new Error(`account ${a.appid} vanished`);
  return saved;
}

export async function updateAccount(
  w: World,
  appid: string,
  patch: Partial<Omit<Account, "appid" | "seq" | "createdAt">>,
): Promise<Account | undefined> {
  const current = await getAccount(w.db, appid);
  if (!current) return undefined;
  return upsertAccount(w, { ...current, ...patch, server: { ...current.server, ...patch.server } });
}

export function randomAppid(): string {
  return `wx${randomBytes(8).toString("hex")}`;
}

export function randomSecret(): string {
  return randomBytes(16).toString("hex");
}

export async function upsertOpenPlatform(w: World, p: { id: string; name: string }): Promise<void> {
  await w.db
    .insertInto("open_platforms")
    .values({ id: p.id, name: p.name, created_at: w.clock.now() })
    .onConflict((oc) => oc.column("id").doUpdateSet({ name: p.name }))
    .execute();
}

export async function getOpenPlatform(db: Db, id: string): Promise<OpenPlatform | undefined> {
  const r = await db.selectFrom("open_platforms").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
}

export async function listOpenPlatforms(db: Db): Promise<OpenPlatform[]> {
  const rows = await db.selectFrom("open_platforms").selectAll().orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}

/** The JSON the simulator API shows for an account (secrets included: it is the operator's view). */
export function accountView(a: Account) {
  return {
    appid: a.appid,
    secret: a.secret,
    name: a.name,
    originalId: a.originalId,
    type: a.type,
    verified: a.verified,
    kind: accountKind(a),
    grants: a.grants,
    openPlatform: a.openPlatformId,
    server: a.server,
    ipWhitelist: a.ipWhitelist,
    oauthDomains: a.oauthDomains,
    jssdkDomains: a.jssdkDomains,
    policies: a.policies,
    seq: a.seq,
    createdAt: a.createdAt,
  };
}
