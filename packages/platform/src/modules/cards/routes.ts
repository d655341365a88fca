/**
 * The cards module's simulator routes: the account's cards and review (approve / reject, auto or
 * manual review), the card api_ticket, a user's cards, and the user's actions — addCard,
 * chooseCard and openCard as a page would call them, deleting a held card.
 */
import { Type } from "@sinclair/typebox";
import { badRequest, notFound } from "../../http/simulator.js";
import { requireAccount } from "../accounts/index.js";
import { getFollow, requireUser } from "../simulated-users/index.js";
import { type CardsContext, pushReview, userCodeEvent } from "./claim.js";
import { addCard, chooseCard, openCard } from "./jsapi.js";
import {
  cardBody,
  codesOfUser,
  getCode,
  issueApiTicket,
  listCards,
  requireCard,
  reviewSettings,
  setCardStatus,
  setCodeStatus,
  setReviewSettings,
} from "./store.js";

const AppidParams = Type.Object({ appid: Type.String() });
const UserAppid = { params: Type.Object({ user: Type.String() }) };

export function addCardRoutes(ctx: CardsContext): void {
  const sim = ctx.simulator;
  sim.route({
    method: "GET",
    url: "/accounts/:appid/cards",
    tag: "cards",
    summary: "The account's cards with status and stock.",
    params: AppidParams,
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      const cards = await listCards(ctx.db, params.appid);
      return {
        cards: cards.map((c) => ({
          cardId: c.card_id,
          type: c.card_type,
          status: c.status,
          quantity: c.quantity,
          card: cardBody(c),
        })),
      };
    },
  });
  sim.route({
    method: "PATCH",
    url: "/accounts/:appid/card-settings",
    tag: "cards",
    summary:
      "Card review: auto (approved reviewSeconds after creation, card_pass_check pushed; default, 0 s) or manual.",
    params: AppidParams,
    body: Type.Object({
      review: Type.Union([Type.Literal("auto"), Type.Literal("manual")]),
      reviewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })),
    }),
    handler: async ({ params, body }) => {
      await requireAccount(ctx.db, params.appid);
      await setReviewSettings(ctx.db, params.appid, body.review, body.reviewSeconds ?? 0);
      return reviewSettings(ctx.db, params.appid);
    },
  });
  sim.route({
    method: "POST",
    url: "/accounts/:appid/cards/:cardId/review",
    tag: "cards",
    summary:
      "Decide a card's review now: pass (card_pass_check) or not (card_not_pass_check with the reason).",
    params: Type.Object({ appid: Type.String(), cardId: Type.String() }),
    body: Type.Object({ pass: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 200 })) }),
    handler: async ({ params, body }) => {
      const card = await requireCard(ctx.db, params.appid, params.cardId).catch(() => {
        throw notFound(`card ${params.cardId}`);
      });
      if (card.status !== "CARD_STATUS_NOT_VERIFY") throw badRequest(`card is ${card.status}`);
      await setCardStatus(
        ctx.db,
        card.card_id,
        body.pass ? "CARD_STATUS_VERIFY_OK" : "CARD_STATUS_VERIFY_FAIL",
      );
      await pushReview(ctx, card, body.pass, body.reason);
      return {
        cardId: card.card_id,
        status: body.pass ? "CARD_STATUS_VERIFY_OK" : "CARD_STATUS_VERIFY_FAIL",
      };
    },
  });
  sim.route({
    method: "POST",
    url: "/accounts/:appid/card-ticket",
    tag: "cards",
    summary:
      "Issue a card api_ticket (what ticket/getticket?type=wx_card answers): signs cardExt and cardSign.",
    params: AppidParams,
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      return issueApiTicket(ctx, params.appid);
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/cards",
    tag: "cards",
    summary: "The cards a user holds in one account (codes in plain text).",
    ...UserAppid,
    query: Type.Object({ appid: Type.String() }),
    handler: async ({ params, query }) => {
      await requireUser(ctx.db, params.user);
      const follow = await getFollow(ctx.db, query.appid, params.user);
      const codes = follow ? await codesOfUser(ctx.db, query.appid, follow.openid) : [];
      return {
        cards: codes.map((c) => ({
          cardId: c.card_id,
          code: c.code,
          status: c.status,
          outerStr: c.outer_str,
          beginAt: c.begin_at,
          endAt: c.end_at,
        })),
      };
    },
  });
  const CardList = Type.Array(
    Type.Object({ cardId: Type.String(), cardExt: Type.String({ maxLength: 4096 }) }),
    { maxItems: 10 },
  );
  sim.route({
    method: "POST",
    url: "/users/:user/cards/add",
    tag: "cards",
    summary:
      "The user's page calls wx.addCard({cardList}): the JS-SDK answer (errMsg, cardList with encrypted codes).",
    ...UserAppid,
    body: Type.Object({ appid: Type.String(), cardList: CardList }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      return addCard(ctx, params.user, body.appid, body.cardList);
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/cards/choose",
    tag: "cards",
    summary: "The user's page calls wx.chooseCard(params): the JS-SDK answer (cardList as a JSON string).",
    ...UserAppid,
    body: Type.Object({
      appid: Type.String(),
      params: Type.Object({
        shopId: Type.Optional(Type.String()),
        cardType: Type.Optional(Type.String()),
        cardId: Type.Optional(Type.String()),
        timestamp: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
        nonceStr: Type.Optional(Type.String()),
        signType: Type.Optional(Type.String()),
        cardSign: Type.Optional(Type.String()),
      }),
    }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      return chooseCard(ctx, params.user, body.appid, body.params);
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/cards/open",
    tag: "cards",
    summary: "The user's page calls wx.openCard({cardList:[{cardId, code}]}) (pushes user_view_card).",
    ...UserAppid,
    body: Type.Object({
      appid: Type.String(),
      cardList: Type.Array(Type.Object({ cardId: Type.String(), code: Type.String() }), { maxItems: 10 }),
    }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      return openCard(ctx, params.user, body.appid, body.cardList);
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/cards/delete",
    tag: "cards",
    summary: "The user deletes a card from the card package (pushes user_del_card).",
    ...UserAppid,
    body: Type.Object({ appid: Type.String(), code: Type.String() }),
    handler: async ({ params, body }) => {
      const account = await requireAccount(ctx.db, body.appid);
      const code = await getCode(ctx.db, body.appid, body.code);
      if (!code || code.user_id !== params.user) throw notFound(`code ${body.code} of ${params.user}`);
      await setCodeStatus(ctx.db, body.appid, code.code, "DELETE", ctx.clock.now());
      await userCodeEvent(ctx, account, params.user, code, "user_del_card");
      return { ok: true };
    },
  });
}
