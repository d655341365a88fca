/**
 * Cards and codes as stored: creating and reading cards, review status, stock, codes (claimed,
 * deposited, consumed), the whitelist; card api_tickets live in the JS-SDK module. The rules that decide who may claim live
 * in claim.ts; the HTTP shapes in api.ts.
 */
import { randomBytes, randomInt } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { issueTicket, liveTickets, TICKET_TTL_SECONDS } from "../jssdk/index.js";
import type { CardCodeTable, CardTable } from "./tables.js";
import type { CardDefinition } from "./validate.js";

export type Card = CardTable;
export type CardCode = CardCodeTable;

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** `p` + 27 URL-safe characters, like WeChat's card ids. */
export function newCardId(): string {
  let s = "p";
  for (const b of randomBytes(27)) s += ID_CHARS[b % ID_CHARS.length];
  return s;
}

export const newCode = () => String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));

function cardFromRow(r: CardTable): Card {
  const n = (v: unknown) => (v === null ? null : Number(v));
  return {
    ...r,
    quantity: Number(r.quantity),
    total_quantity: Number(r.total_quantity),
    begin_at: n(r.begin_at),
    end_at: n(r.end_at),
    review_at: n(r.review_at),
    created_at: Number(r.created_at),
  };
}

function codeFromRow(r: CardCodeTable): CardCode {
  return {
    ...r,
    begin_at: Number(r.begin_at),
    end_at: Number(r.end_at),
    received_at: r.received_at === null ? null : Number(r.received_at),
    consumed_at: r.consumed_at === null ? null : Number(r.consumed_at),
  };
}

export async function reviewSettings(
  db: Db,
  appid: string,
): Promise<{ review: string; reviewSeconds: number }> {
  const r = await db.selectFrom("card_settings").selectAll().where("appid", "=", appid).executeTakeFirst();
  return { review: r?.review ?? "auto", reviewSeconds: r?.review_seconds ?? 0 };
}

export async function setReviewSettings(db: Db, appid: string, review: string, reviewSeconds: number) {
  await db
    .insertInto("card_settings")
    .values({ appid, review, review_seconds: reviewSeconds })
    .onConflict((oc) => oc.column("appid").doUpdateSet({ review, review_seconds: reviewSeconds }))
    .execute();
}

export async function insertCard(
  w: World,
  appid: string,
  body: Record<string, unknown>,
  def: CardDefinition,
): Promise<Card> {
  const now = w.clock.now();
  const settings = await reviewSettings(w.db, appid);
  const row: CardTable = {
    card_id: newCardId(),
    appid,
    card_type: def.cardType,
    body: JSON.stringify(body),
    status: "CARD_STATUS_NOT_VERIFY",
    quantity: def.quantity,
    total_quantity: def.quantity,
    get_limit: def.getLimit,
    use_custom_code: def.useCustomCode ? 1 : 0,
    bind_openid: def.bindOpenid ? 1 : 0,
    begin_at: def.beginAt,
    end_at: def.endAt,
    fixed_term: def.fixedTerm,
    fixed_begin_term: def.fixedBeginTerm,
    review_at: settings.review === "auto" ? now + settings.reviewSeconds * 1000 : null,
    created_at: now,
  };
  await w.db.insertInto("cards").values(row).execute();
  return row;
}

export async function getCard(db: Db, appid: string, cardId: string): Promise<Card | undefined> {
  const r = await db
    .selectFrom("cards")
    .selectAll()
    .where("card_id", "=", cardId)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return r ? cardFromRow(r) : undefined;
}

/** The account's card, or 40073 (deleted cards included unless `live`). */
export async function requireCard(
  db: Db,
  appid: string,
  cardId: string | undefined,
  live = false,
): Promise<Card> {
  if (!cardId) throw new WechatApiError(ErrorCode.MissingCardId);
  const c = await getCard(db, appid, cardId);
  if (!c || (live && c.status === "CARD_STATUS_DELETE")) throw new WechatApiError(ErrorCode.InvalidCardId);
  return c;
}

export async function listCards(db: Db, appid: string, statuses?: string[]): Promise<Card[]> {
  let q = db.selectFrom("cards").selectAll().where("appid", "=", appid);
  if (statuses && statuses.length > 0) q = q.where("status", "in", statuses);
  return (await q.orderBy("created_at").execute()).map(cardFromRow);
}

export async function setCardStatus(db: Db, cardId: string, status: string): Promise<void> {
  await db.updateTable("cards").set({ status, review_at: null }).where("card_id", "=", cardId).execute();
}

export async function dueReviews(db: Db, now: number): Promise<Card[]> {
  const rows = await db
    .selectFrom("cards")
    .selectAll()
    .where("status", "=", "CARD_STATUS_NOT_VERIFY")
    .where("review_at", "<=", now)
    .limit(50)
    .execute();
  return rows.map(cardFromRow);
}

export async function updateCardBody(db: Db, cardId: string, body: Record<string, unknown>): Promise<void> {
  await db
    .updateTable("cards")
    .set({ body: JSON.stringify(body) })
    .where("card_id", "=", cardId)
    .execute();
}

export function cardBody(c: Card): Record<string, unknown> {
  return parseJsonColumn<Record<string, unknown>>(c.body, {});
}

/** Change stock by `delta` (negative takes); 45031 when it would go below zero. */
export async function changeStock(db: Db, c: Card, delta: number): Promise<void> {
  const r = await db
    .updateTable("cards")
    .set((eb) => ({
      quantity: eb("quantity", "+", delta),
      total_quantity: eb("total_quantity", "+", Math.max(delta, 0)),
    }))
    .where("card_id", "=", c.card_id)
    .where("quantity", ">=", -delta)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new WechatApiError(ErrorCode.StockOutOfLimit);
}

export async function getCode(db: Db, appid: string, code: string): Promise<CardCode | undefined> {
  const r = await db
    .selectFrom("card_codes")
    .selectAll()
    .where("appid", "=", appid)
    .where("code", "=", code)
    .executeTakeFirst();
  return r ? codeFromRow(r) : undefined;
}

export async function codesOfUser(
  db: Db,
  appid: string,
  openid: string,
  cardId?: string,
): Promise<CardCode[]> {
  let q = db.selectFrom("card_codes").selectAll().where("appid", "=", appid).where("openid", "=", openid);
  if (cardId) q = q.where("card_id", "=", cardId);
  return (await q.orderBy("received_at").execute()).map(codeFromRow);
}

export async function countClaims(db: Db, cardId: string, openid: string): Promise<number> {
  const r = await db
    .selectFrom("card_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("card_id", "=", cardId)
    .where("openid", "=", openid)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function putCode(db: Db, row: CardCodeTable): Promise<void> {
  await db
    .insertInto("card_codes")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["appid", "code"]).doUpdateSet({
        user_id: row.user_id,
        openid: row.openid,
        status: row.status,
        outer_str: row.outer_str,
        begin_at: row.begin_at,
        end_at: row.end_at,
        received_at: row.received_at,
      }),
    )
    .execute();
}

export async function setCodeStatus(
  db: Db,
  appid: string,
  code: string,
  status: string,
  now: number,
): Promise<void> {
  await db
    .updateTable("card_codes")
    .set({ status, ...(status === "CONSUMED" ? { consumed_at: now } : {}) })
    .where("appid", "=", appid)
    .where("code", "=", code)
    .execute();
}

export async function depositedCount(db: Db, cardId: string): Promise<number> {
  const r = await db
    .selectFrom("card_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("card_id", "=", cardId)
    .where("status", "=", "DEPOSITED")
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function isWhitelisted(db: Db, appid: string, openid: string): Promise<boolean> {
  const r = await db
    .selectFrom("card_whitelist")
    .select("openid")
    .where("appid", "=", appid)
    .where("openid", "=", openid)
    .executeTakeFirst();
  return r !== undefined;
}

export async function setWhitelist(db: Db, appid: string, openids: string[]): Promise<void> {
  await db.deleteFrom("card_whitelist").where("appid", "=", appid).execute();
  if (openids.length > 0) {
    await db
      .insertInto("card_whitelist")
      .values([...new Set(openids)].map((openid) => ({ appid, openid })))
      .execute();
  }
}

/**
 * A fresh card api_ticket: issued into the JS-SDK module's ticket store, the same one
 * `ticket/getticket?type=wx_card` issues into (7200 s; every unexpired one keeps verifying,
 * jssdk.md §2 emulator choice), so a card signature verifies against exactly those tickets.
 */
export async function issueApiTicket(
  w: World,
  appid: string,
): Promise<{ ticket: string; expires_in: number }> {
  return { ticket: await issueTicket(w, appid, "wx_card"), expires_in: TICKET_TTL_SECONDS };
}

/** The account's unexpired card api_tickets (the JS-SDK module's `wx_card` tickets). */
export const validApiTickets = (db: Db, appid: string, now: number): Promise<string[]> =>
  liveTickets(db, appid, "wx_card", now);
