/**
 * Simulator routes of JS-SDK: what pages did (calls with the errMsg they saw, share settings),
 * the account's live tickets, a signing aid (the doc's old "jsapisign" debug page as a route), and
 * each user's simulated phone (network type, location prompt).
 */
import { randomBytes } from "node:crypto";
import { jssdkSignature, jssdkSignedUrl } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { badRequest } from "../../http/simulator.js";
import { requireAccount } from "../accounts/index.js";
import { requireUser } from "../simulated-users/index.js";
import type { JssdkContext } from "./handlers/toolkit.js";
import {
  LOCATION_PROMPTS,
  listCalls,
  listShares,
  NETWORK_TYPES,
  phoneSettings,
  setPhoneSettings,
} from "./records.js";
import { issueTicket, liveTickets, TICKET_TTL_SECONDS } from "./tickets.js";

const AppidParams = Type.Object({ appid: Type.String() });
const literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export function addJssdkRoutes(ctx: JssdkContext): void {
  const sim = ctx.simulator;
  sim.route({
    method: "GET",
    url: "/accounts/:appid/jssdk/calls",
    tag: "jssdk",
    summary: "JS-SDK calls pages of this account made, newest first, with the errMsg each page saw.",
    params: AppidParams,
    query: Type.Object({
      user: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    }),
    handler: async ({ params, query }) => {
      await requireAccount(ctx.db, params.appid);
      return {
        calls: await listCalls(ctx.db, { appid: params.appid, userId: query.user, limit: query.limit }),
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/accounts/:appid/jssdk/shares",
    tag: "jssdk",
    summary:
      "What each page shares (per target: appMessage, timeline, qq, weibo, qzone), as the pages set it.",
    params: AppidParams,
    query: Type.Object({ user: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }),
    handler: async ({ params, query }) => {
      await requireAccount(ctx.db, params.appid);
      return {
        shares: await listShares(ctx.db, { appid: params.appid, userId: query.user, url: query.url }),
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/accounts/:appid/jssdk/tickets",
    tag: "jssdk",
    summary: "The account's unexpired jsapi and wx_card tickets, newest first.",
    params: AppidParams,
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      const now = ctx.clock.now();
      return {
        jsapi: await liveTickets(ctx.db, params.appid, "jsapi", now),
        wx_card: await liveTickets(ctx.db, params.appid, "wx_card", now),
      };
    },
  });
  sim.route({
    method: "POST",
    url: "/accounts/:appid/jssdk/signature",
    tag: "jssdk",
    summary:
      "Sign a page URL for wx.config with the account's newest jsapi ticket (one is issued if none is live): a debugging aid.",
    params: AppidParams,
    body: Type.Object({ url: Type.String({ minLength: 1, maxLength: 4096 }) }),
    handler: async ({ params, body }) => {
      const account = await requireAccount(ctx.db, params.appid);
      if (!/^https?:\/\//i.test(body.url)) throw badRequest("url: an absolute http(s) URL");
      const ticket =
        (await liveTickets(ctx.db, account.appid, "jsapi", ctx.clock.now()))[0] ??
        (await issueTicket(ctx, account.appid, "jsapi"));
      const timestamp = Math.floor(ctx.clock.now() / 1000);
      const nonceStr = randomBytes(8).toString("hex");
      const url = jssdkSignedUrl(body.url);
      return {
        appId: account.appid,
        timestamp,
        nonceStr,
        signature: jssdkSignature({ jsapiTicket: ticket, nonceStr, timestamp, url }),
        url,
        ticketExpiresIn: TICKET_TTL_SECONDS,
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/phone",
    tag: "jssdk",
    summary: "The user's simulated phone as JS-SDK sees it: network type and the location prompt's answer.",
    params: Type.Object({ user: Type.String() }),
    handler: async ({ params }) => {
      await requireUser(ctx.db, params.user);
      return phoneSettings(ctx.db, params.user);
    },
  });
  sim.route({
    method: "PATCH",
    url: "/users/:user/phone",
    tag: "jssdk",
    summary:
      "Change the simulated phone: networkType (wifi, 5g, 4g, 3g, 2g, none); locationPrompt (ask, allow, deny).",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object(
      {
        networkType: Type.Optional(literals(NETWORK_TYPES)),
        locationPrompt: Type.Optional(literals(LOCATION_PROMPTS)),
      },
      { additionalProperties: false },
    ),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      const change = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return setPhoneSettings(ctx.db, params.user, change);
    },
  });
}
