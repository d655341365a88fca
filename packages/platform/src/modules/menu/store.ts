/**
 * Menus as stored: the default menu and the personalised menus of each account, the per-account
 * settings, and each simulated user's client platform.
 */
import { ErrorCode } from "@mpstack/protocol";
import { type Db, parseJsonColumn, type Tx } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import type { MenuTable } from "./tables.js";
import type { Button } from "./types.js";
import { type MatchRule, viewDomains } from "./validate.js";

export interface Menu {
  menuid: number;
  appid: string;
  conditional: boolean;
  buttons: Button[];
  /** Personalised menus only. */
  matchrule: MatchRule | null;
  createdAt: number;
}

export interface MenuSettings {
  /** Max personalised menus per account (65305). WeChat's number is undocumented: emulator choice 20. */
  conditionalLimit: number;
  /** The 2025 privacy rules (default on): sex/region/language rules refused (65320) and never matched. */
  privacyMode: boolean;
  /** 40033 for `\uXXXX` escapes, 65318 for non-UTF-8 bodies (menu.md conventions; default on). */
  strictCharset: boolean;
  /** How long a simulated client keeps a fetched menu (menu.md §1 "Refresh": 300 s). */
  clientTtlSeconds: number;
}

export const DEFAULT_MENU_SETTINGS: MenuSettings = {
  conditionalLimit: 20,
  privacyMode: true,
  strictCharset: true,
  clientTtlSeconds: 300,
};

/** Personalised menus may link to at most this many domains in total (menu.md §6.1, 65316). */
export const MAX_CONDITIONAL_DOMAINS = 3;

/** First menuid handed out (9 digits, like WeChat's). */
const FIRST_MENUID = 400_000_001;

function fromRow(r: MenuTable): Menu {
  return {
    menuid: Number(r.menuid),
    appid: r.appid,
    conditional: r.kind === "conditional",
    buttons: parseJsonColumn<Button[]>(r.buttons, []),
    matchrule: parseJsonColumn<MatchRule | null>(r.matchrule, null),
    createdAt: Number(r.created_at),
  };
}

export async function getMenuSettings(db: Db, appid: string): Promise<MenuSettings> {
  const r = await db.selectFrom("menu_settings").selectAll().where("appid", "=", appid).executeTakeFirst();
  if (!r) return DEFAULT_MENU_SETTINGS;
  return {
    conditionalLimit: r.conditional_limit,
    privacyMode: r.privacy_mode === 1,
    strictCharset: r.strict_charset === 1,
    clientTtlSeconds: r.client_ttl_seconds,
  };
}

export async function setMenuSettings(
  db: Db,
  appid: string,
  change: Partial<MenuSettings>,
): Promise<MenuSettings> {
  const next = { ...(await getMenuSettings(db, appid)), ...change };
  const row = {
    conditional_limit: next.conditionalLimit,
    privacy_mode: next.privacyMode ? 1 : 0,
    strict_charset: next.strictCharset ? 1 : 0,
    client_ttl_seconds: next.clientTtlSeconds,
  };
  await db
    .insertInto("menu_settings")
    .values({ appid, ...row })
    .onConflict((oc) => oc.column("appid").doUpdateSet(row))
    .execute();
  return next;
}

/** The account's menus: the default one (if any) and the personalised ones in creation order. */
export async function listMenus(db: Db, appid: string): Promise<{ main: Menu | null; conditional: Menu[] }> {
  const rows = await db
    .selectFrom("menus")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("menuid")
    .execute();
  const menus = rows.map(fromRow);
  return { main: menus.find((m) => !m.conditional) ?? null, conditional: menus.filter((m) => m.conditional) };
}

async function nextMenuid(trx: Tx): Promise<number> {
  const r = await trx
    .selectFrom("menus")
    .select((eb) => eb.fn.max("menuid").as("max"))
    .executeTakeFirst();
  const max = r?.max === null || r?.max === undefined ? 0 : Number(r.max);
  return Math.max(FIRST_MENUID, max + 1);
}

/** menu/create: replace the default menu (a new menuid: clients see a new version). Personalised menus stay. */
export async function replaceDefaultMenu(w: World, appid: string, buttons: Button[]): Promise<Menu> {
  const now = w.clock.now();
  return w.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("menus").where("appid", "=", appid).where("kind", "=", "default").execute();
    const row: MenuTable = {
      menuid: await nextMenuid(trx),
      appid,
      kind: "default",
      buttons: JSON.stringify(buttons),
      matchrule: null,
      created_at: now,
    };
    await trx.insertInto("menus").values(row).execute();
    return fromRow(row);
  });
}

/**
 * menu/addconditional, after the body is valid: needs a default menu (65303), stays under the
 * account's limit (65305) and the 3-domain rule across personalised menus (65316).
 */
export async function addConditionalMenu(
  w: World,
  appid: string,
  buttons: Button[],
  rule: MatchRule,
  settings: MenuSettings,
): Promise<Menu> {
  const now = w.clock.now();
  return w.db.transaction().execute(async (trx) => {
    const existing = (
      await trx.selectFrom("menus").selectAll().where("appid", "=", appid).orderBy("menuid").execute()
    ).map(fromRow);
    if (!existing.some((m) => !m.conditional)) throw new WechatApiError(ErrorCode.NoSelfMenu);
    const conditional = existing.filter((m) => m.conditional);
    const domains = new Set([...conditional.flatMap((m) => viewDomains(m.buttons)), ...viewDomains(buttons)]);
    if (domains.size > MAX_CONDITIONAL_DOMAINS) throw new WechatApiError(ErrorCode.DomainCountReachLimit);
    if (conditional.length >= settings.conditionalLimit) throw new WechatApiError(ErrorCode.MenuCountLimit);
    const row: MenuTable = {
      menuid: await nextMenuid(trx),
      appid,
      kind: "conditional",
      buttons: JSON.stringify(buttons),
      matchrule: JSON.stringify(rule),
      created_at: now,
    };
    await trx.insertInto("menus").values(row).execute();
    return fromRow(row);
  });
}

/** menu/delconditional: false when no personalised menu of the account has this id. */
export async function deleteConditionalMenu(w: World, appid: string, menuid: number): Promise<boolean> {
  const r = await w.db
    .deleteFrom("menus")
    .where("appid", "=", appid)
    .where("kind", "=", "conditional")
    .where("menuid", "=", menuid)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** menu/delete: the default menu and every personalised menu. */
export async function deleteAllMenus(w: World, appid: string): Promise<void> {
  await w.db.deleteFrom("menus").where("appid", "=", appid).execute();
}

/** The simulated client's platform of a user: 1 iOS, 2 Android, 3 others (default). */
export async function clientPlatformOf(db: Db, userId: string): Promise<number> {
  const r = await db
    .selectFrom("menu_clients")
    .select("platform")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return r?.platform ?? 3;
}

export async function setClientPlatform(db: Db, userId: string, platform: number): Promise<void> {
  await db
    .insertInto("menu_clients")
    .values({ user_id: userId, platform })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ platform }))
    .execute();
}
