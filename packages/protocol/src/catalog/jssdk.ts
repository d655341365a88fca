/**
 * JS-SDK tickets (spec/jssdk.md §2, §6.1): the `jsapi_ticket` that signs pages for `wx.config` and
 * the card `api_ticket` (`type=wx_card`) that signs card operations. Both last 7200 s and must be
 * cached by the developer.
 */
import { Type } from "@sinclair/typebox";
import { OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

/** The two ticket types. */
export const TICKET_TYPES = ["jsapi", "wx_card"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const jssdk = group("jssdk", {
  /**
   * 获取jsapi_ticket
   *
   * A `jsapi` ticket (page signatures) or a `wx_card` ticket (card signatures), valid 7200 s;
   * each call issues a fresh one and earlier ones stay valid until their own expiry. `wx_card`
   * needs the card grant (48001 otherwise); a missing or unknown type answers 40097 (card
   * tickets: §6.1; errors: §7).
   *
   * See spec/jssdk.md §2.
   */
  getTicket: endpoint({
    title: "获取jsapi_ticket",
    method: "GET",
    host: "api",
    path: "/cgi-bin/ticket/getticket",
    permission: "jssdk.base",
    request: Type.Object({ type: Type.Union(TICKET_TYPES.map((t) => Type.Literal(t))) }),
    // Undocumented; spec: emulator answers a missing or unknown type with 40097 invalid args.
    schemaErrcode: 40097,
    response: OkWith({ ticket: Type.String(), expires_in: Type.Integer() }),
    dailyQuota: 100000,
  }),
});
