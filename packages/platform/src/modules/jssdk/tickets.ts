/**
 * JS-SDK tickets (spec/jssdk.md §2, §6.1): `ticket/getticket` issues a fresh `jsapi` or `wx_card`
 * ticket on every call, each valid 7200 s on the platform clock; earlier tickets stay valid until
 * their own expiry, so a page signed with a slightly older ticket still verifies.
 */
import { randomBytes } from "node:crypto";
import { catalog, mayCall, type TicketType } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import type { World } from "../../world.js";

export const TICKET_TTL_SECONDS = 7200;
const KEEP_EXPIRED_MS = 86_400_000;

/** 86 URL-safe characters, the documented sample's shape. */
const newTicket = () => randomBytes(64).toString("base64url");

export async function issueTicket(w: World, appid: string, type: TicketType): Promise<string> {
  const now = w.clock.now();
  const ticket = newTicket();
  await w.db
    .insertInto("jssdk_tickets")
    .values({ ticket, appid, type, created_at: now, expires_at: now + TICKET_TTL_SECONDS * 1000 })
    .execute();
  await w.db
    .deleteFrom("jssdk_tickets")
    .where("appid", "=", appid)
    .where("expires_at", "<", now - KEEP_EXPIRED_MS)
    .execute();
  return ticket;
}

/** The account's unexpired tickets of a type, newest first. */
export async function liveTickets(db: Db, appid: string, type: TicketType, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom("jssdk_tickets")
    .select("ticket")
    .where("appid", "=", appid)
    .where("type", "=", type)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .limit(1000)
    .execute();
  return rows.map((r) => r.ticket);
}

export function implementTicketApi(ctx: ModuleContext): void {
  ctx.implement(
    catalog.jssdk.getTicket,
    (fields) => {
      const type = fields.type;
      if (type !== "jsapi" && type !== "wx_card") throw new WechatApiError(40097);
      return { type: type as TicketType };
    },
    async ({ account, input }) => {
      // The card ticket needs the card feature (spec/jssdk.md §7: 48001 without the grant).
      if (input.type === "wx_card" && !mayCall(account, "card", ctx.policiesFor(account).permissionOverrides))
        throw new WechatApiError(48001);
      const ticket = await issueTicket(ctx, account.appid, input.type);
      return { errcode: 0, errmsg: "ok", ticket, expires_in: TICKET_TTL_SECONDS };
    },
  );
}
